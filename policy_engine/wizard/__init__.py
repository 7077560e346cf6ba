"""The six iterations' edit operations: each takes a project and the user's input and returns a new
project or coded issues (`project.edits.Edit`); pages call one of them per action."""
