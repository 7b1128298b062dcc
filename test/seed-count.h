#ifndef OVERLAY_FABRIC_TEST_SEED_COUNT_H
#define OVERLAY_FABRIC_TEST_SEED_COUNT_H

#include <cstdint>
#include <cstdlib>
#include <gtest/gtest.h>

namespace ns3
{

/**
 * \brief Whether seed \p index of a parameterized seed list is skipped in this run.
 *
 * OVERLAY_FABRIC_TEST_SEEDS=N runs only the first N seeds of each seed list; the others report
 * SKIPPED (the sanitized suite of scripts/sanitize.sh sets it, every instrumented run being 10-20
 * times slower). Unset or empty, every seed runs. The seeds that run assert the same bounds.
 *
 * \param index position of the seed in its list, from 0
 * \return true if the test should GTEST_SKIP()
 */
inline bool
SeedSkipped(uint32_t index)
{
    const char* value = std::getenv("OVERLAY_FABRIC_TEST_SEEDS");
    if (value == nullptr || *value == '\0')
    {
        return false;
    }
    char* end = nullptr;
    unsigned long count = std::strtoul(value, &end, 10);
    if (*end != '\0' || count == 0)
    {
        ADD_FAILURE() << "OVERLAY_FABRIC_TEST_SEEDS=" << value << ": expected a positive count";
        return false;
    }
    return index >= count;
}

} // namespace ns3

#endif // OVERLAY_FABRIC_TEST_SEED_COUNT_H
