namespace PetitionDashboard.Domain;

/// <summary>The §11 weekly figures of a week × unit, stored beside the §8 counts.</summary>
public partial class WeeklyUnitStatistic
{
    /// <summary>领导接访批次: reception records (attended) of reception days in W.</summary>
    public int ReceptionBatches { get; set; }
    /// <summary>领导接访人次: people received at those receptions.</summary>
    public int ReceptionPeople { get; set; }
    /// <summary>接访件化解: 领导接访件 replied in W, or finished in W without a reply.</summary>
    public int ReceptionResolved { get; set; }
}

/// <summary>One §11 weekly figure: its name, definition and the stored count it shows.</summary>
public sealed record ReceptionFigure(string Name, string Definition, Func<WeeklyUnitStatistic, int> Value);

/// <summary>The table of §11 weekly figures (statistics page, 汇总 sheet).</summary>
public static class ReceptionFigures
{
    public static readonly IReadOnlyList<ReceptionFigure> All =
    [
        new("领导接访批次", "本周领导接访日中到场接谈的批次（按信访件的责任单位）", r => r.ReceptionBatches),
        new("领导接访人次", "上述接访批次的人数之和", r => r.ReceptionPeople),
        new("接访件化解", "领导接访件中本周答复的（未答复而本周办结的也计入）", r => r.ReceptionResolved),
    ];
}
