#pragma once
#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <gsl/gsl_version.h>

/// `gsl_randist.h` is deliberately not included: it pulls in `gsl_matrix.h` → `gsl_blas_types.h` →
/// `gsl_cblas.h`, whose `CBLAS_TRANSPOSE` enum clashes with OpenBLAS's in any module that sees both
/// (style-anchors.md §5.3). The few distributions we use are declared here with GSL's prototypes.
double gsl_ran_gaussian_ziggurat(const gsl_rng *r, const double sigma);
unsigned int gsl_ran_poisson(const gsl_rng *r, double mu);
double gsl_ran_gaussian(const gsl_rng *r, const double sigma);

/// Swift 6 rejects direct use of the mutable C globals `gsl_rng_mt19937` and
/// `gsl_version`; these accessors read them once, explicitly.
static inline const gsl_rng_type *cgsl_rng_mt19937(void) { return gsl_rng_mt19937; }
static inline const char *cgsl_version(void) { return gsl_version; }
