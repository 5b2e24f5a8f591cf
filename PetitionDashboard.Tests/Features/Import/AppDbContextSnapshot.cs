using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PetitionDashboard.Tests.Support;

namespace PetitionDashboard.Tests.Features.Import;

/// <summary>Every petition, event, petitioner, link and thread as JSON text: two equal snapshots mean nothing changed.</summary>
public sealed record AppDbContextSnapshot(string Text)
{
    public static async Task<AppDbContextSnapshot> TakeAsync(TestDatabase database)
    {
        await using var db = await database.CreateDbContextAsync();
        var data = new
        {
            Petitions = await db.Petitions.AsNoTracking().OrderBy(p => p.Id).ToListAsync(),
            Events = await db.PetitionEvents.AsNoTracking().OrderBy(e => e.Id).ToListAsync(),
            People = await db.Petitioners.AsNoTracking().OrderBy(p => p.Id).ToListAsync(),
            Links = await db.PetitionPetitioners.AsNoTracking().OrderBy(l => l.PetitionId).ThenBy(l => l.PetitionerId)
                .Select(l => new { l.PetitionId, l.PetitionerId }).ToListAsync(),
            Threads = await db.Threads.AsNoTracking().OrderBy(t => t.Id).ToListAsync(),
            Units = await db.Units.AsNoTracking().OrderBy(u => u.Id).ToListAsync(),
        };
        return new AppDbContextSnapshot(JsonSerializer.Serialize(data));
    }

    public override string ToString() => Text;
}
