#include "comparison.h"

#include "results-path.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <stdexcept>

namespace ns3
{

using Json = nlohmann::ordered_json;

std::string
ToString(FigureAggregate aggregate)
{
    switch (aggregate)
    {
    case FigureAggregate::FIRST:
        return "first";
    case FigureAggregate::MAX:
        return "max";
    case FigureAggregate::MIN:
        return "min";
    case FigureAggregate::SUM:
        return "sum";
    case FigureAggregate::MEAN:
        return "mean";
    }
    return "?";
}

bool
ParseFigureAggregate(const std::string& text, FigureAggregate& aggregate)
{
    for (FigureAggregate a : {FigureAggregate::FIRST,
                              FigureAggregate::MAX,
                              FigureAggregate::MIN,
                              FigureAggregate::SUM,
                              FigureAggregate::MEAN})
    {
        if (text == ToString(a))
        {
            aggregate = a;
            return true;
        }
    }
    return false;
}

double
ExactSum(const std::vector<double>& values)
{
    // Shewchuk's partials with the final half-even correction: CPython's math.fsum.
    std::vector<double> partials;
    for (double x : values)
    {
        size_t i = 0;
        for (double y : partials)
        {
            if (std::fabs(x) < std::fabs(y))
            {
                std::swap(x, y);
            }
            double hi = x + y;
            double lo = y - (hi - x);
            if (lo != 0.0)
            {
                partials[i++] = lo;
            }
            x = hi;
        }
        partials.resize(i);
        partials.push_back(x);
    }
    size_t n = partials.size();
    double hi = 0.0;
    if (n > 0)
    {
        hi = partials[--n];
        double lo = 0.0;
        while (n > 0)
        {
            double x = hi;
            double y = partials[--n];
            hi = x + y;
            double yr = hi - x;
            lo = y - yr;
            if (lo != 0.0)
            {
                break;
            }
        }
        if (n > 0 && ((lo < 0.0 && partials[n - 1] < 0.0) || (lo > 0.0 && partials[n - 1] > 0.0)))
        {
            double y = lo * 2.0;
            double x = hi + y;
            double yr = x - hi;
            if (y == yr)
            {
                hi = x;
            }
        }
    }
    return hi;
}

FigureValue
ReadFigure(const ComparisonColumn& column, const Json& results)
{
    std::vector<const Json*> matches;
    bool found = false;
    for (const std::string& path : column.paths)
    {
        matches = CollectResultsPath(results, path);
        found = !matches.empty() || (column.aggregate == FigureAggregate::SUM &&
                                     ResultsPathContainerExists(results, path));
        if (found)
        {
            break;
        }
    }
    if (!found)
    {
        return {};
    }
    if (column.nullIsMissing)
    {
        matches.erase(std::remove_if(matches.begin(),
                                     matches.end(),
                                     [](const Json* v) { return v->is_null(); }),
                      matches.end());
        if (matches.empty() && column.aggregate != FigureAggregate::SUM)
        {
            return {};
        }
    }
    bool anyNull =
        std::any_of(matches.begin(), matches.end(), [](const Json* v) { return v->is_null(); });
    if (anyNull &&
        (column.aggregate == FigureAggregate::MAX || column.aggregate == FigureAggregate::FIRST))
    {
        return {FigureValue::NEVER, 0};
    }
    std::vector<double> nums;
    for (const Json* v : matches)
    {
        if (v->is_boolean())
        {
            nums.push_back(v->get<bool>() ? 1.0 : 0.0);
        }
        else if (v->is_number())
        {
            nums.push_back(v->get<double>());
        }
    }
    if (nums.empty() && !matches.empty())
    {
        return anyNull ? FigureValue{FigureValue::NEVER, 0} : FigureValue{};
    }
    double x = 0;
    switch (column.aggregate)
    {
    case FigureAggregate::FIRST:
        x = nums.front();
        break;
    case FigureAggregate::MAX:
        x = *std::max_element(nums.begin(), nums.end());
        break;
    case FigureAggregate::MIN:
        x = *std::min_element(nums.begin(), nums.end());
        break;
    case FigureAggregate::SUM:
        x = ExactSum(nums); // 0 over an existing, empty set
        break;
    case FigureAggregate::MEAN:
        if (nums.empty())
        {
            return {};
        }
        x = ExactSum(nums) / static_cast<double>(nums.size());
        break;
    }
    return {FigureValue::NUMBER, x / column.unit};
}

std::string
FormatCell(const ComparisonColumn& column, const std::vector<FigureValue>& runs)
{
    std::vector<double> nums;
    size_t present = 0;
    for (const FigureValue& v : runs)
    {
        present += v.kind != FigureValue::MISSING;
        if (v.kind == FigureValue::NUMBER)
        {
            nums.push_back(v.value);
        }
    }
    if (present == 0)
    {
        return "-";
    }
    if (nums.empty())
    {
        return "never";
    }
    double mean = ExactSum(nums) / static_cast<double>(nums.size());
    std::string text = fmt::format("{:.{}f}", mean, column.decimals);
    if (nums.size() < present)
    {
        text += fmt::format(" ({}/{} never)", present - nums.size(), present);
    }
    return text;
}

namespace
{

ComparisonColumn
Column(std::string name,
       std::vector<std::string> paths,
       FigureAggregate aggregate,
       int decimals,
       std::string doc)
{
    ComparisonColumn c;
    c.name = std::move(name);
    c.paths = std::move(paths);
    c.aggregate = aggregate;
    c.decimals = decimals;
    c.doc = std::move(doc);
    return c;
}

/// Goodput summed over flows, Mb/s.
ComparisonColumn
Goodput(std::string name)
{
    ComparisonColumn c = Column(std::move(name),
                                {"flows.*.goodput_bps"},
                                FigureAggregate::SUM,
                                3,
                                "sum of the flows' goodput, Mb/s");
    c.unit = 1e6;
    c.lowerIsBetter = false;
    return c;
}

/// status_audit's false positives: DOWNs whose echoes met no fault.
ComparisonColumn
FalsePositives()
{
    return Column("false_positives",
                  {"status_audit.false_positives"},
                  FigureAggregate::FIRST,
                  0,
                  "uplink DOWNs whose unanswered echoes met no fault; '-' without monitoring");
}

/// status_audit's flaps.
ComparisonColumn
Flaps()
{
    return Column("flaps",
                  {"status_audit.flaps"},
                  FigureAggregate::FIRST,
                  0,
                  "DOWN -> UP while the cause remained; '-' without monitoring");
}

/// The fast path's modeled hardware cost (results cost.fast_path, in host cores).
ComparisonColumn
FastPathCostColumn()
{
    return Column("fast_path_cost",
                  {"cost.fast_path"},
                  FigureAggregate::FIRST,
                  3,
                  "modeled hardware cost of the fast path, in host cores (cost.fast_path)");
}

ComparisonColumn
NullIsMissing(ComparisonColumn c)
{
    c.nullIsMissing = true;
    return c;
}

/// Length of a UTF-8 text in code points (the width Python gives it).
size_t
Width(const std::string& text)
{
    return std::count_if(text.begin(), text.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    });
}

std::string
Pad(const std::string& text, size_t width, bool left)
{
    std::string fill(width > Width(text) ? width - Width(text) : 0, ' ');
    return left ? text + fill : fill + text;
}

void
TrimRight(std::string& line)
{
    line.erase(line.find_last_not_of(' ') + 1);
}

std::string
CsvCell(const std::string& cell)
{
    if (cell.find_first_of(",\"\r\n") == std::string::npos)
    {
        return cell;
    }
    std::string out = "\"";
    for (char c : cell)
    {
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
    }
    return out + "\"";
}

} // namespace

const std::vector<ComparisonColumn>&
VariantComparisonColumns()
{
    static const std::vector<ComparisonColumn> columns{
        NullIsMissing(Column("detection_ms",
                             {"faults.0.detection_ms", "chains.failures.0.detection_ms"},
                             FigureAggregate::FIRST,
                             3,
                             "fault 0 (or SVM failure 0, without link faults) -> detected")),
        NullIsMissing(Column("failover_ms",
                             {"faults.0.failover_ms", "chains.failures.0.reprogram_ms"},
                             FigureAggregate::FIRST,
                             3,
                             "fault 0 -> traffic moved to another uplink (SVM failure 0: every "
                             "classifier it hit chose another path)")),
        NullIsMissing(
            Column("lost", {"totals.lost"}, FigureAggregate::FIRST, 0, "packets lost, all flows")),
        Column("worst_recovery_ms",
               {"faults.0.flows.*.recovery_ms", "chains.failures.0.flows.*.recovery_ms"},
               FigureAggregate::MAX,
               3,
               "fault 0 -> first delivery on a path avoiding it (worst flow it hit); 'never' "
               "if one never recovered"),
        Goodput("goodput_mbps"),
        FalsePositives(),
        Flaps(),
        NullIsMissing(Column("overhead_bytes_per_s_per_host",
                             {"monitoring.overhead.bytes_per_s_per_host"},
                             FigureAggregate::FIRST,
                             1,
                             "monitoring packets, bytes/s per host; '-' without monitoring")),
        FastPathCostColumn(),
    };
    return columns;
}

const std::vector<std::string>&
VariantComparisonTextColumns()
{
    static const std::vector<std::string> columns{"label", "policy", "preset"};
    return columns;
}

const std::vector<ComparisonColumn>&
FigureColumns()
{
    static const std::vector<ComparisonColumn> columns{
        Column("detection_ms",
               {"faults.*.detection_ms", "chains.failures.*.detection_ms"},
               FigureAggregate::MAX,
               3,
               "fault -> detected (worst fault); 'never' if nobody detected it"),
        Column("failover_ms",
               {"faults.*.failover_ms", "chains.failures.*.reprogram_ms"},
               FigureAggregate::MAX,
               3,
               "fault -> traffic moved to another uplink (worst fault)"),
        Column("recovery_ms",
               {"faults.*.flows.*.recovery_ms", "chains.failures.*.flows.*.recovery_ms"},
               FigureAggregate::MAX,
               3,
               "fault -> first delivery on a path avoiding it (worst flow); 'never' if one never "
               "recovered"),
        Column("lost", {"totals.lost"}, FigureAggregate::FIRST, 0, "packets lost, all flows"),
        Goodput("goodput_mbps"),
        FalsePositives(),
        Flaps(),
        Column("overhead_bytes_per_s_per_host",
               {"monitoring.overhead.bytes_per_s_per_host"},
               FigureAggregate::FIRST,
               1,
               "monitoring packets (BFD control, echoes, loopback), bytes/s per host; '-' "
               "without monitoring"),
        FastPathCostColumn(),
    };
    return columns;
}

ComparisonTable::ComparisonTable(std::vector<std::string> textColumns,
                                 std::vector<ComparisonColumn> columns)
    : m_textColumns(std::move(textColumns)),
      m_columns(std::move(columns))
{
}

ComparisonTable
ComparisonTable::ForVariants()
{
    return ComparisonTable(VariantComparisonTextColumns(), VariantComparisonColumns());
}

void
ComparisonTable::AddRow(std::vector<std::string> text, const std::vector<const Json*>& runs)
{
    if (text.size() != m_textColumns.size())
    {
        throw std::invalid_argument(
            fmt::format("a comparison row starts with {} text cells, not {}",
                        m_textColumns.size(),
                        text.size()));
    }
    std::vector<std::string> row = std::move(text);
    for (const ComparisonColumn& column : m_columns)
    {
        std::vector<FigureValue> values;
        for (const Json* results : runs)
        {
            values.push_back(results == nullptr ? FigureValue{} : ReadFigure(column, *results));
        }
        row.push_back(FormatCell(column, values));
    }
    m_rows.push_back(std::move(row));
}

void
ComparisonTable::AddVariant(const ScenarioConfig& config, const Json& results)
{
    const MonitoringConfig& m = config.monitoring;
    std::string preset = !m.enabled ? "off" : m.preset.empty() ? "-" : m.preset;
    AddRow({config.variant, ToString(config.overlay.policy), preset}, {&results});
}

std::vector<std::string>
ComparisonTable::Header() const
{
    std::vector<std::string> header = m_textColumns;
    for (const ComparisonColumn& c : m_columns)
    {
        header.push_back(c.name);
    }
    return header;
}

const std::string&
ComparisonTable::Cell(size_t row, const std::string& column) const
{
    std::vector<std::string> header = Header();
    auto it = std::find(header.begin(), header.end(), column);
    if (it == header.end())
    {
        throw std::out_of_range("no comparison column " + column);
    }
    return m_rows.at(row).at(it - header.begin());
}

std::string
ComparisonTable::ToText() const
{
    std::vector<std::string> header = Header();
    std::vector<size_t> width(header.size());
    for (size_t c = 0; c < header.size(); ++c)
    {
        width[c] = Width(header[c]);
        for (const auto& row : m_rows)
        {
            width[c] = std::max(width[c], Width(row[c]));
        }
    }
    std::string out;
    auto line = [&](const std::vector<std::string>& cells) {
        std::string text;
        for (size_t c = 0; c < cells.size(); ++c)
        {
            text += "  " + Pad(cells[c], width[c], c < m_textColumns.size());
        }
        TrimRight(text);
        out += text + "\n";
    };
    line(header);
    std::vector<std::string> rule;
    for (size_t w : width)
    {
        rule.emplace_back(w, '-');
    }
    line(rule);
    for (const auto& row : m_rows)
    {
        line(row);
    }
    return out;
}

std::string
ComparisonTable::ToSideBySideText() const
{
    std::vector<std::string> header = Header();
    std::vector<std::vector<std::string>> lines;
    std::vector<std::string> top{"figure"};
    for (const auto& row : m_rows)
    {
        top.push_back(row.empty() ? "" : row[0]);
    }
    lines.push_back(top);
    for (size_t c = 1; c < header.size(); ++c)
    {
        std::vector<std::string> line{header[c]};
        for (const auto& row : m_rows)
        {
            line.push_back(row[c]);
        }
        lines.push_back(line);
    }
    std::vector<size_t> width(top.size(), 0);
    for (const auto& line : lines)
    {
        for (size_t c = 0; c < line.size(); ++c)
        {
            width[c] = std::max(width[c], Width(line[c]));
        }
    }
    std::string out;
    for (size_t i = 0; i < lines.size(); ++i)
    {
        std::string text;
        for (size_t c = 0; c < lines[i].size(); ++c)
        {
            text += (c == 0 ? "" : "  ") + Pad(lines[i][c], width[c], c == 0);
        }
        TrimRight(text);
        out += text + "\n";
        if (i == 0)
        {
            std::string rule;
            for (size_t c = 0; c < width.size(); ++c)
            {
                rule += (c == 0 ? "" : "  ") + std::string(width[c], '-');
            }
            out += rule + "\n";
        }
    }
    return out;
}

std::string
ComparisonTable::ToCsv() const
{
    std::string out;
    auto line = [&out](const std::vector<std::string>& cells) {
        for (size_t c = 0; c < cells.size(); ++c)
        {
            out += (c == 0 ? "" : ",") + CsvCell(cells[c]);
        }
        out += "\n";
    };
    line(Header());
    for (const auto& row : m_rows)
    {
        line(row);
    }
    return out;
}

} // namespace ns3
