// Module Plotting.
