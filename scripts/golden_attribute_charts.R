#!/usr/bin/env Rscript
# Golden cases for forcepack.stats.attribute_chart, computed by qicharts2.
#
# Writes tests/data/golden/attribute_charts.json: for each constructed series (numerators,
# denominators, rebase, fixed baseline, moving-range screening) the centre line, 3-sigma
# limits, 2-sigma lines and sigma signals that qicharts2::qic() returns for each point.
# tests/test_stats_attribute_golden.py compares attribute_chart with them (1e-9 relative).
#
# Needs R (Debian: apt-get install r-base-core r-cran-ggplot2 r-cran-scales r-cran-jsonlite)
# and qicharts2 built from its source (https://github.com/anhoej/qicharts2):
#   git -C qicharts2 archive HEAD | tar -x -C /tmp/qicharts2-src
#   R CMD INSTALL --no-build-vignettes -l /tmp/rlib /tmp/qicharts2-src
# Run from the repository root:
#   QICHARTS2_COMMIT=$(git -C qicharts2 rev-parse HEAD) R_LIBS=/tmp/rlib \
#     Rscript scripts/golden_attribute_charts.R
# The series are drawn from R's own generator with a fixed seed, so a rerun with the same R
# and qicharts2 writes the same file.

suppressPackageStartupMessages({
  library(qicharts2)  # attaching sets options(qic.screenedmr = TRUE), as a user has it
  library(jsonlite)
})

set.seed(20191231)
months <- function(k) format(seq(as.Date("2017-02-01"), by = "month", length.out = k) - 1)

cases <- list()
add <- function(name, chart, y, n = NULL, part = NULL, freeze = NULL, screened = TRUE,
                note = "") {
  options(qic.screenedmr = screened)
  df <- data.frame(x = seq_along(y), y = y, n = if (is.null(n)) NA else n)
  d <- if (is.null(n)) {
    qic(x, y, data = df, chart = chart, part = part, freeze = freeze, return.data = TRUE)
  } else {
    qic(x, y, n, data = df, chart = chart, part = part, freeze = freeze, return.data = TRUE)
  }
  options(qic.screenedmr = TRUE)
  cases[[length(cases) + 1]] <<- list(
    name = name,
    note = note,
    chart = chart,
    dates = months(length(y)),
    numerators = y,
    denominators = if (is.null(n)) NULL else n,
    # qicharts2's part = the last point (1-based) before new limits; forcepack's rebase_at is
    # the first point of the new group, so the 0-based index of that point is the same number.
    rebase_at_index = if (is.null(part)) list() else as.list(part),
    fix_after_n_points = if (is.null(freeze)) NULL else freeze,
    screened = screened,
    expected = list(
      cl = d$cl, lcl = d$lcl, ucl = d$ucl, lcl_95 = d$lcl.95, ucl_95 = d$ucl.95,
      sigma_signal = d$sigma.signal
    )
  )
}

# p: survey-like shares with denominators varying tenfold.
n <- sample(40:400, 30, replace = TRUE)
add("p_varying_denominators", "p", rbinom(30, n, 0.78), n,
    note = "satisfaction-like shares, denominators 40 to 400")

# p: small denominators and shares near 0 and near 1 (limits clipped to [0, 1]).
n <- sample(5:20, 24, replace = TRUE)
add("p_clipped_low", "p", rbinom(24, n, 0.04), n, note = "lcl clipped at 0")
n <- sample(5:20, 24, replace = TRUE)
add("p_clipped_high", "p", rbinom(24, n, 0.97), n, note = "ucl clipped at 1")

# p: a shift with a rebase and, separately, a fixed baseline of the first 12 points.
n <- sample(150:250, 36, replace = TRUE)
y <- rbinom(36, n, rep(c(0.62, 0.71), c(20, 16)))
add("p_rebase", "p", y, n, part = 20, note = "rebase after point 20 (a shift up)")
add("p_freeze", "p", y, n, freeze = 12, note = "limits fixed from the first 12 points")

# p': large denominators whose shares vary more than binomially (overdispersed).
n <- sample(2000:6000, 36, replace = TRUE)
p <- rbeta(36, 300, 80)
add("pp_overdispersed", "pp", rbinom(36, n, p), n,
    note = "compliance-like shares, denominators 2,000 to 6,000, beta-binomial")
y <- rbinom(36, n, p)
y[30] <- round(n[30] * 0.60)
add("pp_outlier_screened", "pp", y, n, note = "one outlying month; moving ranges screened")
add("pp_outlier_unscreened", "pp", y, n, screened = FALSE,
    note = "the same series with options(qic.screenedmr = FALSE)")
add("pp_rebase", "pp", y, n, part = 18, note = "rebase after point 18")
add("pp_freeze", "pp", y, n, freeze = 15, note = "limits fixed from the first 15 points")

# u: crimes per 1,000 people with varying exposure.
e <- round(runif(30, 80, 140), 1)
add("u_rates", "u", rpois(30, 0.9 * e), e, note = "rates per unit exposure, Poisson")

# u': overdispersed counts (negative binomial) over large exposures.
e <- round(runif(40, 800, 1200), 1)
mu <- 2.1 * e
y <- rnbinom(40, size = 40, mu = mu)
add("up_overdispersed", "up", y, e, note = "negative binomial counts, size 40")
y2 <- y
y2[31:40] <- rnbinom(10, size = 40, mu = 2.6 * e[31:40])
add("up_rebase", "up", y2, e, part = 30, note = "a rise after point 30, rebased there")
add("up_freeze_unscreened", "up", y2, e, freeze = 24, screened = FALSE,
    note = "limits fixed from the first 24 points, moving ranges not screened")

# c: monthly counts, Poisson and overdispersed, with a rebase.
add("c_poisson", "c", rpois(30, 42), note = "Poisson counts, mean 42")
y <- c(rnbinom(24, size = 15, mu = 900), rnbinom(12, size = 15, mu = 1050))
add("c_overdispersed_rebase", "c", y, part = 24, note = "overdispersed counts, rebase after 24")
add("c_small", "c", rpois(20, 3), note = "small counts: lcl clipped at 0")

out <- list(
  generator = "scripts/golden_attribute_charts.R",
  made_with = sprintf("qicharts2 %s (source commit %s), %s",
                      as.character(packageVersion("qicharts2")),
                      Sys.getenv("QICHARTS2_COMMIT", "unknown"), R.version.string),
  seed = 20191231,
  cases = cases
)
writeLines(toJSON(out, auto_unbox = TRUE, digits = I(17), null = "null", pretty = TRUE),
           "tests/data/golden/attribute_charts.json")
cat(sprintf("wrote %d cases to tests/data/golden/attribute_charts.json\n", length(cases)))
