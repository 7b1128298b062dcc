#ifndef OVERLAY_FABRIC_COMPARISON_H
#define OVERLAY_FABRIC_COMPARISON_H

#include "scenario-config.h"

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace ns3
{

/// \brief How a figure combines the values its path matches in one run ('*' segments).
enum class FigureAggregate
{
    FIRST, //!< the first number
    MAX,   //!< the largest (null if any match is null: the worst case never happened)
    MIN,   //!< the smallest
    SUM,   //!< the exact sum; 0 over an existing but empty set ("flows": {})
    MEAN,  //!< the exact mean
};

/// \return "first", "max", "min", "sum" or "mean"
std::string ToString(FigureAggregate aggregate);

/**
 * \brief Parse an aggregate name.
 * \param text "first", "max", "min", "sum" or "mean"
 * \param[out] aggregate the aggregate
 * \return whether \p text names one
 */
bool ParseFigureAggregate(const std::string& text, FigureAggregate& aggregate);

/**
 * \ingroup overlay-fabric
 * \brief One figure column of a comparison: where it is in results.json and how it is shown.
 */
struct ComparisonColumn
{
    std::string name;                                //!< column header
    std::vector<std::string> paths;                  //!< candidates; the first present is used
    FigureAggregate aggregate{FigureAggregate::MAX}; //!< over the matches of '*' segments
    double unit{1.0};                                //!< the figure is divided by it (1e6: Mb/s)
    int decimals{3};                                 //!< digits after the point
    bool nullIsMissing{false};                       //!< null reads '-' (not 'never')
    bool lowerIsBetter{true};                        //!< for plots (Pareto fronts)
    std::string doc;                                 //!< what it is
};

/// \brief A figure of one run: a number, null (the event never happened) or missing.
struct FigureValue
{
    /// What the run says.
    enum Kind
    {
        MISSING, //!< no path of the column exists in these results
        NEVER,   //!< the figure exists but is null
        NUMBER,  //!< a number (booleans read 1 and 0)
    };

    Kind kind{MISSING}; //!< what it is
    double value{0};    //!< the number, divided by the column's unit (NUMBER only)
};

/**
 * \brief Read one column's figure from one run's results (through ResolveResultsPath's rules).
 * \param column the column
 * \param results results.json
 * \return the figure
 */
FigureValue ReadFigure(const ComparisonColumn& column, const nlohmann::ordered_json& results);

/**
 * \brief One cell from the figure of each run of a row (seeds): the mean of the numbers with the
 * column's decimals; "never" when every run that has the figure has it null; "-" when no run has
 * it; "MEAN (k/n never)" when some are null. With one run: its number, "never" or "-".
 * \param column the column
 * \param runs one figure per run
 * \return the cell text
 */
std::string FormatCell(const ComparisonColumn& column, const std::vector<FigureValue>& runs);

/// \return the exact (correctly rounded) sum of \p values, as Python's math.fsum
double ExactSum(const std::vector<double>& values);

/**
 * \return the figure columns of `overlay-fabric run` on a file with a compare section (and of
 * comparison.csv): fault 0's detection and failover, lost packets, the worst recovery over the
 * flows fault 0 hit, goodput summed over flows, monitoring overhead
 */
const std::vector<ComparisonColumn>& VariantComparisonColumns();

/// \return the text columns of that table: label, policy, preset
const std::vector<std::string>& VariantComparisonTextColumns();

/**
 * \return the default figures of Python's compare and plots, over every fault and flow (worst
 * fault, worst flow, sum over flows) and a fast-path cost that results do not have yet ('-')
 */
const std::vector<ComparisonColumn>& FigureColumns();

/**
 * \ingroup overlay-fabric
 * \brief The comparison table, computed once for the CLI and Python: rows of text cells (label,
 * knobs) and figure cells, each figure cell from one or more runs (seeds) of the row.
 */
class ComparisonTable
{
  public:
    /**
     * \param textColumns headers of the text cells every row starts with
     * \param columns the figure columns after them
     */
    ComparisonTable(std::vector<std::string> textColumns, std::vector<ComparisonColumn> columns);

    /// \return the table of a compare section's variants (VariantComparisonColumns())
    static ComparisonTable ForVariants();

    /**
     * \brief Add a row.
     * \param text one cell per text column
     * \param runs the results of every run of the row (none: every figure is '-')
     * \throws std::invalid_argument when \p text does not have one cell per text column
     */
    void AddRow(std::vector<std::string> text,
                const std::vector<const nlohmann::ordered_json*>& runs);

    /**
     * \brief Add a variant's row to a ForVariants() table: its label, uplink policy and monitoring
     * preset ("off" without monitoring, "-" without a preset), then its figures.
     * \param config the variant
     * \param results its results
     */
    void AddVariant(const ScenarioConfig& config, const nlohmann::ordered_json& results);

    /// \return text column headers, then figure column names
    std::vector<std::string> Header() const;

    /// \return the rows' cells, in order
    const std::vector<std::vector<std::string>>& Rows() const
    {
        return m_rows;
    }

    /**
     * \param row row index
     * \param column a header of Header()
     * \return that cell
     * \throws std::out_of_range for an unknown row or column
     */
    const std::string& Cell(size_t row, const std::string& column) const;

    /// \return the text column headers
    const std::vector<std::string>& GetTextColumns() const
    {
        return m_textColumns;
    }

    /// \return the figure columns
    const std::vector<ComparisonColumn>& GetColumns() const
    {
        return m_columns;
    }

    /// \return one line per row under a header and a rule; text cells left-aligned, figures
    /// right-aligned, two blanks before each cell (the CLI's table), each line ending in '\n'
    std::string ToText() const;

    /// \return one column per row (headed by its first text cell, "figure" above the names), one
    /// line per other column (Python's compare), each line ending in '\n'
    std::string ToSideBySideText() const;

    /// \return the header and one line per row, comma-separated; a cell holding a comma, a quote
    /// or a line break is quoted (as Python's csv module)
    std::string ToCsv() const;

  private:
    std::vector<std::string> m_textColumns;       //!< headers of the text cells
    std::vector<ComparisonColumn> m_columns;      //!< figure columns
    std::vector<std::vector<std::string>> m_rows; //!< cells
};

} // namespace ns3

#endif
