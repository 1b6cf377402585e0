// Module Statistics.
