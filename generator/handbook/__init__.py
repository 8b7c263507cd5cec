"""The compiled handbook (汇编成册): one A4 PDF of every department's powers, flows and risks, and the rules; for a
large catalogue, a front volume and volumes per department."""

# Above this many public powers the handbook is split into a front volume and volumes (volumes.py); no volume holds
# more than VOLUME_POWERS powers. Here, not in volumes.py, so the command line can show them without loading Typst.
VOLUME_THRESHOLD = 400
VOLUME_POWERS = 400
