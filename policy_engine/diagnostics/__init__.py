"""Evidence from data: uploaded files inspected and read, registers imported, location quotients,
graphs, cluster proposals, relatedness, growth points and bottlenecks."""
