#include "output-folder.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <unistd.h>

namespace ns3
{

namespace fs = std::filesystem;

OutputError::OutputError(const std::string& path, const std::string& reason)
    : std::runtime_error(fmt::format("{}: {}", path, reason))
{
}

void
PrepareOutputFolder(const std::string& folder, const std::vector<std::string>& files)
{
    std::error_code ec;
    fs::path dir(folder);
    if (fs::exists(dir, ec) && !fs::is_directory(dir, ec))
    {
        throw OutputError(folder, "exists and is not a folder; give --out a folder");
    }
    fs::create_directories(dir, ec);
    if (ec)
    {
        throw OutputError(folder, fmt::format("cannot create the output folder: {}", ec.message()));
    }
    for (const std::string& name : files)
    {
        fs::path file = dir / name;
        if (fs::is_directory(file, ec))
        {
            throw OutputError(file.string(),
                              "is a folder, but the run writes a file of that name there");
        }
    }
    // Writable: create a file and remove it (access() would ignore read-only mounts and ACLs).
    fs::path probe = dir / fmt::format(".overlay-fabric-write-test-{}", ::getpid());
    {
        std::ofstream out(probe, std::ios::binary | std::ios::trunc);
        if (!out || !(out << "x") || !out.flush())
        {
            int error = errno;
            fs::remove(probe, ec);
            throw OutputError(
                folder,
                fmt::format("cannot write into the output folder: {}", std::strerror(error)));
        }
    }
    fs::remove(probe, ec);
}

void
WriteFileAtomically(const std::string& path, const std::string& text)
{
    fs::path tmp = path;
    tmp += fmt::format(".tmp{}", ::getpid());
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out || !(out << text) || !out.flush())
        {
            int error = errno;
            std::error_code ec;
            fs::remove(tmp, ec);
            throw OutputError(path, fmt::format("cannot write: {}", std::strerror(error)));
        }
    }
    std::error_code ec;
    fs::rename(tmp, path, ec);
    if (ec)
    {
        fs::remove(tmp, ec);
        throw OutputError(path, fmt::format("cannot replace: {}", ec.message()));
    }
}

} // namespace ns3
