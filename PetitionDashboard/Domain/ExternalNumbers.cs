namespace PetitionDashboard.Domain;

/// <summary>外部编号: the national system's 信访件编号 a petition registered here may carry (docs/rules.md §7).</summary>
public static class ExternalNumbers
{
    /// <summary>Trimmed; null when empty; refused when longer than a case number may be.</summary>
    public static string? Normalize(string? number)
    {
        var n = number?.Trim();
        if (string.IsNullOrEmpty(n)) return null;
        if (n.Length > FieldLengths.CaseNumber)
            throw ActionRefusedException.Invalid([$"外部编号：不能超过 {FieldLengths.CaseNumber} 个字符"]);
        return n;
    }
}
