#include "results-path.h"

#include <charconv>
#include <string>

namespace ns3
{

using Json = nlohmann::ordered_json;

namespace
{

/// The text of parts[from, to) joined by dots (the path's own characters).
std::string_view
Joined(const std::vector<std::string_view>& parts, size_t from, size_t to)
{
    const char* begin = parts[from].data();
    const char* end = parts[to - 1].data() + parts[to - 1].size();
    return std::string_view(begin, end - begin);
}

void
Walk(const Json& node,
     const std::vector<std::string_view>& parts,
     size_t i,
     bool wildcards,
     std::vector<const Json*>& out)
{
    if (i == parts.size())
    {
        out.push_back(&node);
        return;
    }
    std::string_view part = parts[i];
    if (node.is_object())
    {
        if (wildcards && part == "*")
        {
            for (const auto& item : node.items())
            {
                Walk(item.value(), parts, i + 1, wildcards, out);
            }
            return;
        }
        auto it = node.find(std::string(part));
        if (it != node.end())
        {
            Walk(*it, parts, i + 1, wildcards, out);
            return;
        }
        // A key with dots in it: the longest run of segments that is a key.
        for (size_t j = parts.size(); j > i + 1; --j)
        {
            auto joined = node.find(std::string(Joined(parts, i, j)));
            if (joined != node.end())
            {
                Walk(*joined, parts, j, wildcards, out);
                return;
            }
        }
    }
    else if (node.is_array())
    {
        if (wildcards && part == "*")
        {
            for (const Json& element : node)
            {
                Walk(element, parts, i + 1, wildcards, out);
            }
            return;
        }
        size_t index = 0;
        if (ParseResultsIndex(part, index) && index < node.size())
        {
            Walk(node[index], parts, i + 1, wildcards, out);
        }
    }
}

} // namespace

std::vector<std::string_view>
SplitResultsPath(std::string_view path)
{
    std::vector<std::string_view> parts;
    if (path.empty())
    {
        return parts;
    }
    size_t pos = 0;
    while (true)
    {
        size_t dot = path.find('.', pos);
        parts.push_back(path.substr(pos, dot == std::string_view::npos ? dot : dot - pos));
        if (dot == std::string_view::npos)
        {
            return parts;
        }
        pos = dot + 1;
    }
}

bool
ParseResultsIndex(std::string_view part, size_t& index)
{
    if (part.empty() || part.find_first_not_of("0123456789") != std::string_view::npos ||
        (part.size() > 1 && part[0] == '0'))
    {
        return false;
    }
    auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), index);
    return ec == std::errc() && end == part.data() + part.size();
}

const Json*
ResolveResultsPath(const Json& root, std::string_view path)
{
    std::vector<const Json*> out;
    Walk(root, SplitResultsPath(path), 0, false, out);
    return out.empty() ? nullptr : out.front();
}

std::vector<const Json*>
CollectResultsPath(const Json& root, std::string_view path)
{
    std::vector<const Json*> out;
    Walk(root, SplitResultsPath(path), 0, true, out);
    return out;
}

bool
ResultsPathContainerExists(const Json& root, std::string_view path)
{
    std::vector<std::string_view> parts = SplitResultsPath(path);
    for (size_t i = 0; i < parts.size(); ++i)
    {
        if (parts[i] == "*")
        {
            std::string_view prefix = i == 0 ? std::string_view() : Joined(parts, 0, i);
            std::vector<const Json*> containers;
            Walk(root, SplitResultsPath(prefix), 0, true, containers);
            for (const Json* c : containers)
            {
                if (c->is_object() || c->is_array())
                {
                    return true;
                }
            }
            return false;
        }
    }
    return false;
}

} // namespace ns3
