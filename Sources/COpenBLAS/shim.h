#pragma once
#include <cblas.h>

/// OpenBLAS-only entry points, declared here so the shim does not depend on
/// which cblas.h variant is first on the include path.
int openblas_get_num_threads(void);
void openblas_set_num_threads(int num_threads);
char *openblas_get_config(void);
char *openblas_get_corename(void);
