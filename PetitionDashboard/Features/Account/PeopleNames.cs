using Microsoft.EntityFrameworkCore;
using PetitionDashboard.Data;

namespace PetitionDashboard.Features.Account;

/// <summary>
/// Records name who acted as it was recorded: a login name (most writes), a display name, or a body such as 市信访局 or
/// 系统. Every page shows people by their display name (issue 17 defect 10): this is the one place that turns a recorded
/// actor into what a person reads; what is not a user's login name is shown as recorded.
/// </summary>
public sealed class PeopleNames
{
    private readonly Dictionary<string, string> _displayNames;

    private PeopleNames(Dictionary<string, string> displayNames) => _displayNames = displayNames;

    public static readonly PeopleNames None = new([]);

    /// <summary>One query for the given recorded actors.</summary>
    public static async Task<PeopleNames> LoadAsync(AppDbContext db, IEnumerable<string?> recorded, CancellationToken ct)
    {
        var names = recorded.OfType<string>().Where(n => n.Length > 0).Distinct().ToList();
        if (names.Count == 0) return None;
        var rows = await db.Users.AsNoTracking().Where(u => u.UserName != null && names.Contains(u.UserName))
            .Select(u => new { UserName = u.UserName!, u.DisplayName }).ToListAsync(ct);
        return new PeopleNames(rows.ToDictionary(u => u.UserName, u => u.DisplayName, StringComparer.Ordinal));
    }

    /// <summary>The display name of a recorded actor (null stays null).</summary>
    public string? Of(string? recorded) =>
        recorded is not null && _displayNames.TryGetValue(recorded, out var display) && !string.IsNullOrWhiteSpace(display) ? display : recorded;
}
