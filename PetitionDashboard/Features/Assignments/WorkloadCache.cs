using PetitionDashboard.Infrastructure.ChangeFeed;

namespace PetitionDashboard.Features.Assignments;

/// <summary>
/// The leaders' 包案 counts (<see cref="AssignmentService.WorkloadGroups"/>) kept per node until the database's change
/// counter moves (<see cref="ChangeCountedCache{TKey,TValue}"/>): every open of the workload page and of the assign dialog
/// grouped all 包案 again (≈ 20 ms of SQLite at 1M). The counts depend only on LeaderAssignments rows, which every write
/// moves the counter for, and on the day (overdue = due before today): the key. The leaders' names and titles are read
/// for every call (the Leaders table is not counted).
/// </summary>
public sealed class WorkloadCache(IChangeFeed feed)
    : ChangeCountedCache<DateOnly, IReadOnlyDictionary<int, AssignmentService.WorkloadGroup>>(feed, maxEntries: 4);
