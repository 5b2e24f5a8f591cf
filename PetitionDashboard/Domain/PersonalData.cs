namespace PetitionDashboard.Domain;

/// <summary>Masking of personal data for roles that may not see it (docs/rules.md §10).</summary>
public static class PersonalData
{
    /// <summary>110101199003071234 → 110101********1234: region code and last four kept.</summary>
    public static string? MaskIdNumber(string? id)
    {
        if (string.IsNullOrEmpty(id)) return id;
        if (id.Length <= 10) return new string('*', id.Length);
        return id[..6] + new string('*', id.Length - 10) + id[^4..];
    }

    /// <summary>13812345678 → 138****5678: first three and last four kept.</summary>
    public static string? MaskPhone(string? phone)
    {
        if (string.IsNullOrEmpty(phone)) return phone;
        if (phone.Length <= 7) return new string('*', phone.Length);
        return phone[..3] + new string('*', phone.Length - 7) + phone[^4..];
    }

    /// <summary>张三 → 张*, 欧阳娜娜 → 欧***: the first character kept. For records read by people who may not see who
    /// petitioned (the audit trail is read by administrators, who read no personal data).</summary>
    public static string? MaskName(string? name)
    {
        if (string.IsNullOrEmpty(name)) return name;
        var text = name.Trim();
        return text.Length <= 1 ? "*" : text[..1] + new string('*', text.Length - 1);
    }

    /// <summary>Several names joined with 、 (a petition's 信访人), each masked.</summary>
    public static string? MaskNames(string? names) =>
        string.IsNullOrEmpty(names) ? names : string.Join('、', names.Split('、').Select(MaskName));

    /// <summary>
    /// A repeat-matching identity key with its number masked: ID:110101199003071234 → ID:110101********1234,
    /// NP:张三|13812345678 → NP:张三|138****5678 (the name is not masked anywhere else either).
    /// </summary>
    public static string? MaskIdentityKey(string? key)
    {
        if (string.IsNullOrEmpty(key)) return key;
        if (key.StartsWith("ID:", StringComparison.Ordinal)) return "ID:" + MaskIdNumber(key[3..]);
        if (key.StartsWith("NP:", StringComparison.Ordinal) && key.LastIndexOf('|') is var bar and > 2)
            return key[..(bar + 1)] + MaskPhone(key[(bar + 1)..]);
        return new string('*', key.Length);
    }
}
