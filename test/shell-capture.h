#ifndef OVERLAY_FABRIC_TEST_SHELL_CAPTURE_H
#define OVERLAY_FABRIC_TEST_SHELL_CAPTURE_H

// What the tests that read pcaps with tshark share: run a command, split its output.

#include <array>
#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

/// Run a shell command and return what it printed on stdout.
inline std::string
Capture(const std::string& cmd)
{
    std::string out;
    FILE* p = popen(cmd.c_str(), "r");
    if (p == nullptr)
    {
        return out;
    }
    std::array<char, 4096> buf;
    size_t n;
    while ((n = fread(buf.data(), 1, buf.size(), p)) > 0)
    {
        out.append(buf.data(), n);
    }
    pclose(p);
    return out;
}

/// \return the non-empty lines of \p text
inline std::vector<std::string>
Lines(const std::string& text)
{
    std::vector<std::string> lines;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line))
    {
        if (!line.empty())
        {
            lines.push_back(line);
        }
    }
    return lines;
}

#endif
