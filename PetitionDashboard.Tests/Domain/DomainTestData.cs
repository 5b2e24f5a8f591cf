using System.Globalization;
using PetitionDashboard.Domain;

namespace PetitionDashboard.Tests.Domain;

internal static class DomainTestData
{
    public static DateOnly D(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>"2025-09-28, 2025-10-01..2025-10-08" → every listed date, ranges inclusive; "" → none.</summary>
    public static List<DateOnly> Dates(string list)
    {
        var dates = new List<DateOnly>();
        foreach (var part in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var ends = part.Split("..");
            var from = D(ends[0]);
            var to = ends.Length == 2 ? D(ends[1]) : from;
            for (var d = from; d <= to; d = d.AddDays(1)) dates.Add(d);
        }
        return dates;
    }

    public static Petition NewPetition(DateOnly receivedOn) => new()
    {
        Id = 7, CaseNumber = "LC-2026-000007", Locality = "临川区", Category = "城乡建设", Demand = "小区噪音扰民",
        PetitionerNames = "张三", ReceivedOn = receivedOn, Form = PetitionForm.Letter,
    };
}
