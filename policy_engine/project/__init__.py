"""One region's project: the model, coded issues, the checks every write goes through, the edit
plumbing shared by the wizard's operations, changes between versions, samples."""
