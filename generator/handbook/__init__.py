"""The compiled handbook (汇编成册): one A4 PDF of every department's powers, flows and risks, and the rules."""
