#ifndef OVERLAY_FABRIC_OUTPUT_FOLDER_H
#define OVERLAY_FABRIC_OUTPUT_FOLDER_H

#include <stdexcept>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup overlay-fabric
 * \brief An output folder or file that cannot be written: the path and why (exit status 2 when
 * found before a run, 1 when a write fails after one).
 */
class OutputError : public std::runtime_error
{
  public:
    /**
     * \param path the folder or file
     * \param reason what is wrong, e.g. "is a plain file, not a folder"
     */
    OutputError(const std::string& path, const std::string& reason);
};

/**
 * \brief Check, before anything is simulated, that a run can write its results: the folder
 * exists or can be created, is a folder, is writable (a file is created and removed in it), and
 * none of \p files in it is a folder. So an hour of simulation is never lost at the end.
 * \param folder the output folder (created when missing)
 * \param files the names the run will write into it (results.json, scenario.yaml...)
 * \throws OutputError naming the path and the reason
 */
void PrepareOutputFolder(const std::string& folder, const std::vector<std::string>& files);

/**
 * \brief Replace a file atomically: write a temporary file beside it, then rename it over the
 * old one, so a reader sees the whole old file or the whole new one, never half of one.
 * \param path the file
 * \param text its new content
 * \throws OutputError naming the path and the reason
 */
void WriteFileAtomically(const std::string& path, const std::string& text);

} // namespace ns3

#endif
