// overlay_fabric._core: the one pybind11 module of the Python package overlay_fabric. Each area is
// bound in its own file by one init_<area>() function.
#include "bindings.h"

PYBIND11_MODULE(_core, m)
{
    m.doc() = "ns3-overlay-fabric scenario config, loader, runner and results (C++ core of "
              "overlay_fabric)";
    overlay_fabric_py::init_config(m);
    overlay_fabric_py::init_loader(m);
    overlay_fabric_py::init_run(m);
    overlay_fabric_py::init_results(m);
}
