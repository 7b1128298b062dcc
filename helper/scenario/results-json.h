#ifndef OVERLAY_FABRIC_RESULTS_JSON_H
#define OVERLAY_FABRIC_RESULTS_JSON_H

#include "scenario-config.h"

#include "ns3/data-rate.h"
#include "ns3/nstime.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace ns3
{

/// \brief How the sections of results.json write times, rates and ports (one convention).
namespace results_json
{

/// \return seconds of a Time as a JSON number
inline double
Sec(Time t)
{
    return static_cast<double>(t.GetNanoSeconds()) / 1e9;
}

/// \return microseconds of a Time
inline double
Us(Time t)
{
    return static_cast<double>(t.GetNanoSeconds()) / 1e3;
}

/// \return seconds, or null when the instant never came
inline nlohmann::ordered_json
OptSec(const std::optional<Time>& t)
{
    return t ? nlohmann::ordered_json(Sec(*t)) : nlohmann::ordered_json(nullptr);
}

/// \return milliseconds from \p since to \p t, or null when \p t never came
inline nlohmann::ordered_json
OptMsSince(const std::optional<Time>& t, Time since)
{
    return t ? nlohmann::ordered_json(static_cast<double>((*t - since).GetNanoSeconds()) / 1e6)
             : nlohmann::ordered_json(nullptr);
}

/// \return "<bits per second>bps"
inline std::string
RateString(const DataRate& r)
{
    return fmt::format("{}bps", r.GetBitRate());
}

/// \return destination port of flow \p i (validated to fit in 16 bits)
inline uint16_t
DstPort(const FlowConfig& f, uint32_t i)
{
    return static_cast<uint16_t>(EffectiveDstPort(f, i));
}

} // namespace results_json

} // namespace ns3

#endif
