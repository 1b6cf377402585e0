// Module Environments.
