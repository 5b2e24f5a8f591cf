using System.Globalization;

namespace PetitionDashboard.Domain;

/// <summary>
/// The field rules of a petition and its petitioners (docs/rules.md §4, §7), one set for registration, the ledger import
/// and every form. Each rule returns null when the value is acceptable, else the zh-CN rule it breaks, without the field's
/// name: the caller names the field its own way ("信访人2联系电话：…", "第 12 行 联系电话：…").
/// </summary>
public static class PetitionFieldRules
{
    /// <summary>The 问题属地 code table is the units of this kind (县区): registration's choices and the import's check.</summary>
    public const UnitKind LocalityKind = UnitKind.County;

    public const int MinPhoneDigits = 7;
    public const int MaxPhoneDigits = 20;

    /// <summary>A person's name: required, at most <see cref="FieldLengths.PersonName"/> characters.</summary>
    public static string? PersonName(string? name)
    {
        var text = name?.Trim() ?? "";
        if (text.Length == 0) return "必填";
        return text.Length > FieldLengths.PersonName ? $"不能超过{FieldLengths.PersonName}字" : null;
    }

    /// <summary>身份证号 (GB 11643): empty is allowed; otherwise 18 characters, a real birth date and the check digit.</summary>
    public static string? IdNumber(string? idNumber)
    {
        var id = ChineseIdNumber.Normalize(idNumber);
        if (id is null || ChineseIdNumber.IsValid(id)) return null;
        if (id.Length != 18) return "应为18位（末位可为X）";
        if (id.AsSpan(0, 17).ContainsAnyExcept("0123456789")) return "前17位应为数字";
        if (!DateOnly.TryParseExact(id.AsSpan(6, 8), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            return "出生日期无效";
        return "校验位不正确";
    }

    /// <summary>
    /// 联系电话: empty is allowed; otherwise 7 to 20 digits, with nothing but the separators people write (space, -, +,
    /// brackets; full-width forms too), and at most <see cref="FieldLengths.PetitionerPhone"/> characters.
    /// </summary>
    public static string? Phone(string? phone)
    {
        var text = phone?.Trim() ?? "";
        if (text.Length == 0) return null;
        var digits = 0;
        foreach (var c in TextNormalization.ToHalfWidth(text))
        {
            if (char.IsAsciiDigit(c)) digits++;
            else if (c is not (' ' or '-' or '+' or '(' or ')')) return $"应为{MinPhoneDigits}至{MaxPhoneDigits}位数字";
        }
        if (digits is < MinPhoneDigits or > MaxPhoneDigits) return $"应为{MinPhoneDigits}至{MaxPhoneDigits}位数字";
        return text.Length > FieldLengths.PetitionerPhone ? $"不能超过{FieldLengths.PetitionerPhone}个字符" : null;
    }

    /// <summary>地址: optional, at most <see cref="FieldLengths.PetitionerAddress"/> characters.</summary>
    public static string? Address(string? address) =>
        address?.Trim().Length > FieldLengths.PetitionerAddress ? $"不能超过{FieldLengths.PetitionerAddress}字" : null;

    /// <summary>问题属地: required, one of the code table's localities (the county / district units).</summary>
    public static string? Locality(string? locality, IReadOnlyCollection<string> localities)
    {
        var text = locality?.Trim() ?? "";
        if (text.Length == 0) return "必填";
        if (localities.Contains(text)) return null;
        return localities.Count == 0
            ? $"“{text}”不是已登记的县（市、区）：系统中还没有县区单位，请管理员先添加"
            : $"“{text}”不是已登记的县（市、区），应为：{string.Join(" / ", localities.Order(StringComparer.Ordinal))}";
    }

    /// <summary>内容分类: required, a 一级 category of the code table.</summary>
    public static string? Category(string? category, IReadOnlyCollection<string> categories)
    {
        var text = category?.Trim() ?? "";
        if (text.Length == 0) return "必选";
        return categories.Contains(text) ? null : $"“{text}”不是内容分类代码表中的一级分类";
    }

    /// <summary>诉求摘要: required, at most <see cref="FieldLengths.PetitionDemand"/> characters.</summary>
    public static string? Demand(string? demand)
    {
        var text = demand?.Trim() ?? "";
        if (text.Length == 0) return "必填";
        return text.Length > FieldLengths.PetitionDemand ? $"不能超过{FieldLengths.PetitionDemand}字" : null;
    }
}
