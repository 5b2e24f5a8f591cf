using PetitionDashboard.Domain;
using PetitionDashboard.Infrastructure.ChangeFeed;

namespace PetitionDashboard.Features.Statistics;

/// <summary>A week's new petitions by 一级 category and by form (counted live, not stored with the week's figures).</summary>
public sealed record WeekBreakdowns(IReadOnlyList<BreakdownRow> ByCategory, IReadOnlyList<BreakdownRow> ByForm);

/// <summary>
/// /statistics' breakdowns kept per node until the database's change counter moves (<see cref="ChangeCountedCache{TKey,TValue}"/>):
/// every open of the page counted the week's new petitions twice (≈ 26 ms of its ≈ 49 ms prerender at 1M). They depend only
/// on petition rows — received date, category, form, and the unit and 初件/重件 at the week's end, whose history rows are
/// written with a change of the petition itself — which every write moves the counter for. At most 64 weeks × units.
/// </summary>
public sealed class WeekBreakdownCache(IChangeFeed feed)
    : ChangeCountedCache<(IsoWeek Week, int? UnitId), WeekBreakdowns>(feed, maxEntries: 64);
