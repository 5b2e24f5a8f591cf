using Microsoft.EntityFrameworkCore;
using PetitionDashboard.Domain;

namespace PetitionDashboard.Data;

/// <summary>The uniqueness of 外部编号 as a readable refusal (the filtered unique index is the last line).</summary>
public static class ExternalNumberLookup
{
    public static async Task EnsureFreeAsync(this AppDbContext db, string? externalNumber, int? exceptPetitionId, CancellationToken ct)
    {
        if (externalNumber is null) return;
        var holder = await db.Petitions.Where(p => p.ExternalNumber == externalNumber && p.Id != exceptPetitionId)
            .Select(p => p.CaseNumber).FirstOrDefaultAsync(ct);
        if (holder is not null)
            throw ActionRefusedException.Invalid([$"外部编号：{externalNumber} 已用于信访件 {holder}，外部编号不能重复"]);
    }
}
