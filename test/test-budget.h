#ifndef OVERLAY_FABRIC_TEST_BUDGET_H
#define OVERLAY_FABRIC_TEST_BUDGET_H

#include "ns3/nstime.h"

#include <cstdint>
#include <cstdlib>
#include <gtest/gtest.h>
#include <string>

namespace ns3
{

/**
 * \file
 * Two environment variables that shrink the costliest tests for instrumented builds
 * (scripts/sanitize.sh sets both; every ASan run is 10-40 times slower). Unset or empty, every
 * test runs in full, as in the normal suite. The shortened tests assert the same bounds.
 *
 * - OVERLAY_FABRIC_TEST_SEEDS=N: only the first N seeds of each parameterized seed list run; the
 *   others report SKIPPED.
 * - OVERLAY_FABRIC_TEST_MAX_SIM_SECONDS=S: a long-run test (one that simulates a minute of
 *   traffic to show that nothing goes wrong over time) simulates at most S seconds.
 */

/// \return the positive integer in environment variable \p name, or 0 when it is unset or empty
/// (a value that is not a positive integer fails the test that asked)
inline unsigned long
TestBudgetValue(const char* name)
{
    const char* value = std::getenv(name);
    if (value == nullptr || *value == '\0')
    {
        return 0;
    }
    char* end = nullptr;
    unsigned long count = std::strtoul(value, &end, 10);
    if (*end != '\0' || count == 0)
    {
        ADD_FAILURE() << name << "=" << value << ": expected a positive integer";
        return 0;
    }
    return count;
}

/**
 * \brief Whether seed \p index of a parameterized seed list is skipped in this run
 * (OVERLAY_FABRIC_TEST_SEEDS).
 * \param index position of the seed in its list, from 0
 * \return true if the test should GTEST_SKIP()
 */
inline bool
SeedSkipped(uint32_t index)
{
    unsigned long count = TestBudgetValue("OVERLAY_FABRIC_TEST_SEEDS");
    return count != 0 && index >= count;
}

/**
 * \brief The simulated duration of a long-run test: \p full, or less under
 * OVERLAY_FABRIC_TEST_MAX_SIM_SECONDS.
 * \param full the duration the normal suite simulates
 * \return min(full, the cap)
 */
inline Time
LongRunDuration(Time full)
{
    unsigned long cap = TestBudgetValue("OVERLAY_FABRIC_TEST_MAX_SIM_SECONDS");
    return cap != 0 && Seconds(double(cap)) < full ? Seconds(double(cap)) : full;
}

} // namespace ns3

#endif // OVERLAY_FABRIC_TEST_BUDGET_H
