using PetitionDashboard.Domain;

namespace PetitionDashboard.Tests.Domain;

/// <summary>Free text written by code always fits its column, and a cut text says it was cut.</summary>
public class FieldLengthsTests
{
    [Theory]
    [InlineData(null, 5, null)]
    [InlineData("", 5, "")]
    [InlineData("包案化解", 5, "包案化解")]
    [InlineData("包案化解期", 5, "包案化解期")]
    [InlineData("包案化解期限", 5, "包案化解…")]
    public void Clip_KeepsShortTextAndMarksTheCut(string? text, int max, string? expected)
    {
        var clipped = FieldLengths.Clip(text, max);

        Assert.Equal(expected, clipped);
        Assert.True((clipped?.Length ?? 0) <= max);
    }

    [Fact]
    public void AuditEntryCreate_ClipsEveryFreeTextToItsColumn()
    {
        var at = new DateTime(2025, 10, 9, 1, 0, 0, DateTimeKind.Utc);

        var row = AuditEntry.Create(at, new string('甲', 150), "Update", "LeaderAssignment", new string('1', 80),
            new string('X', 50), "Plan", new string('旧', 2500), new string('新', 2500), new string('详', 1200));

        Assert.Equal(at, row.AtUtc);
        Assert.Equal("Update", row.Action);
        Assert.Equal("LeaderAssignment", row.Entity);
        Assert.Equal("Plan", row.Field);
        Assert.Equal(FieldLengths.Actor, row.Actor.Length);
        Assert.Equal(FieldLengths.AuditKey, row.EntityKey!.Length);
        Assert.Equal(FieldLengths.CaseNumber, row.CaseNumber!.Length);
        Assert.Equal(FieldLengths.AuditValue, row.OldValue!.Length);
        Assert.Equal(FieldLengths.AuditValue, row.NewValue!.Length);
        Assert.Equal(FieldLengths.AuditDetail, row.Detail!.Length);
        Assert.EndsWith("…", row.Detail);
    }

    [Fact]
    public void AuditEntryCreate_LeavesShortAndMissingValuesAlone()
    {
        var row = AuditEntry.Create(DateTime.UnixEpoch, "王某", "Export", detail: "督办通报 2025-W41");

        Assert.Equal("王某", row.Actor);
        Assert.Equal("督办通报 2025-W41", row.Detail);
        Assert.Null(row.Entity);
        Assert.Null(row.EntityKey);
        Assert.Null(row.CaseNumber);
        Assert.Null(row.OldValue);
    }
}
