// Shared declarations of the overlay_fabric._core pybind11 module: one init_<area>() per file
// (init_config.cc, init_loader.cc, init_run.cc, init_results.cc), called from overlay_fabric_py.cc.
#ifndef OVERLAY_FABRIC_BINDINGS_H
#define OVERLAY_FABRIC_BINDINGS_H

#include "scenario-config.h"

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <pybind11/stl_bind.h>
#include <vector>

// Lists of structs are bound as opaque, mutable sequences, so that
// `cfg.traffic[0].rate = "2Gbps"` edits the config in place instead of a converted copy. This must
// be seen before any use of the types in every file of the module.
PYBIND11_MAKE_OPAQUE(std::vector<ns3::SegmentConfig>);
PYBIND11_MAKE_OPAQUE(std::vector<ns3::RouterConfig>);
PYBIND11_MAKE_OPAQUE(std::vector<ns3::ClockConfig>);
PYBIND11_MAKE_OPAQUE(std::vector<ns3::FlowConfig>);
PYBIND11_MAKE_OPAQUE(std::vector<ns3::FaultConfig>);
PYBIND11_MAKE_OPAQUE(std::vector<ns3::ExpectBound>);

namespace overlay_fabric_py
{

namespace py = pybind11;

/// \brief Config structs, enums and ConfigError (init_config.cc).
void init_config(py::module_& m);

/// \brief Scenario loader: files, YAML text, compare variants, --set overrides, time and rate
/// parsing (init_loader.cc).
void init_loader(py::module_& m);

/// \brief Running a scenario and checking its expect bounds (init_run.cc).
void init_run(py::module_& m);

/// \brief Results paths, figures and the comparison table (init_results.cc).
void init_results(py::module_& m);

/**
 * \brief A time from Python: a number of seconds, or a string with a unit ("200ms", parsed by the
 * scenario loader's ParseTime, exact to the nanosecond).
 */
ns3::Time TimeFromPython(const py::handle& value, const char* field);

/// \brief A data rate from Python: an integer number of bits per second, or a string ("25Gbps").
ns3::DataRate RateFromPython(const py::handle& value, const char* field);

} // namespace overlay_fabric_py

#endif
