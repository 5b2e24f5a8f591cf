using PetitionDashboard.Infrastructure.ChangeFeed;

namespace PetitionDashboard.Features.Backlog;

/// <summary>
/// The KPI cards and aging buckets, computed once per node for all viewers and kept until the data change (the change
/// counter moved) or the day turns (the key: 临期 and 超期 are counted against today).
/// </summary>
public sealed class BacklogKpiCache(IChangeFeed feed) : ChangeCountedCache<DateOnly, BacklogKpis>(feed, maxEntries: 2);
