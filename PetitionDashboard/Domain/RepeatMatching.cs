using System.Globalization;
using System.Text;

namespace PetitionDashboard.Domain;

/// <summary>Section "Repeat" of appsettings.json (docs/rules.md §6).</summary>
public sealed class RepeatOptions
{
    public const string Section = "Repeat";
    /// <summary>Two demands are the same matter when their bigram Jaccard similarity is at least this (≥).</summary>
    public double Similarity { get; set; } = 0.5;
    /// <summary>Same matter, different people, registered within this many calendar days of each other: a cluster (同事多人).</summary>
    public int ClusterDays { get; set; } = 30;
}

/// <summary>Section "Petition" of appsettings.json.</summary>
public sealed class PetitionOptions
{
    public const string Section = "Petition";
    /// <summary>A 来访 petition with at least this many people is a 集体访.</summary>
    public int GroupSize { get; set; } = 5;
}

/// <summary>集体访 (docs/rules.md §7, §8): a visit (来访) by at least <see cref="PetitionOptions.GroupSize"/> people.</summary>
public static class GroupVisitRule
{
    public static bool IsGroupVisit(PetitionForm form, int peopleCount, int groupSize) =>
        form == PetitionForm.Visit && peopleCount >= groupSize;
}

/// <summary>Text clean-up shared by the identity and similarity rules.</summary>
internal static class TextNormalization
{
    /// <summary>Full-width ASCII forms (U+FF01–U+FF5E) to their half-width twins, the ideographic space (U+3000) to a space.</summary>
    public static char ToHalfWidth(char c) => c switch
    {
        '\u3000' => ' ',
        >= '\uFF01' and <= '\uFF5E' => (char)(c - 0xFEE0),
        _ => c,
    };

    public static string ToHalfWidth(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text) sb.Append(ToHalfWidth(c));
        return sb.ToString();
    }
}

/// <summary>居民身份证号码 per GB 11643-1999: 17 digits (area, birth date yyyyMMdd, sequence) and a check character.</summary>
public static class ChineseIdNumber
{
    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string CheckChars = "10X98765432";

    /// <summary>
    /// Trims, drops inner whitespace, turns full-width digits and letters half-width and upper-cases a trailing x.
    /// Returns null for null or blank input. Does not validate: use <see cref="IsValid"/>.
    /// </summary>
    public static string? Normalize(string? idNumber)
    {
        if (string.IsNullOrWhiteSpace(idNumber)) return null;
        var sb = new StringBuilder(18);
        foreach (var c in TextNormalization.ToHalfWidth(idNumber))
            if (!char.IsWhiteSpace(c)) sb.Append(c == 'x' ? 'X' : c);
        return sb.ToString();
    }

    /// <summary>The GB 11643 check character of the first 17 digits: Σ digit × weight mod 11 → "10X98765432".</summary>
    public static char CheckCharacter(ReadOnlySpan<char> first17Digits)
    {
        var sum = 0;
        for (var i = 0; i < 17; i++) sum += (first17Digits[i] - '0') * Weights[i];
        return CheckChars[sum % 11];
    }

    /// <summary>
    /// True when the normalized number has 18 characters, 17 ASCII digits whose birth-date part (positions 7–14) is a real
    /// calendar date, and the GB 11643 check character (Σ digit×weight mod 11 → "10X98765432").
    /// The 15-digit numbers of the first generation carry no check digit and are not accepted.
    /// </summary>
    public static bool IsValid(string? idNumber)
    {
        var id = Normalize(idNumber);
        if (id is null || id.Length != 18) return false;
        for (var i = 0; i < 17; i++)
            if (!char.IsAsciiDigit(id[i])) return false;
        if (id[17] != CheckCharacter(id.AsSpan(0, 17))) return false;
        return DateOnly.TryParseExact(id.AsSpan(6, 8), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);
    }
}

/// <summary>Who a petitioner is, for repeat matching (docs/rules.md §6).</summary>
public static class PetitionerIdentity
{
    /// <summary>
    /// "ID:" + the normalized 身份证号 when a valid one is given; otherwise "NP:" + normalized name + "|" + the phone's digits.
    /// Null when there is neither a valid ID nor a phone with digits (or the name is blank): a bare name is not an identity —
    /// common names (张伟, 王芳) would join strangers' petitions into one thread.
    /// </summary>
    public static string? Key(string? name, string? idNumber, string? phone)
    {
        if (ChineseIdNumber.IsValid(idNumber)) return "ID:" + ChineseIdNumber.Normalize(idNumber);
        var digits = PhoneDigits(phone);
        var normalizedName = NormalizeName(name);
        if (digits.Length == 0 || normalizedName.Length == 0) return null;
        return "NP:" + normalizedName + "|" + digits;
    }

    /// <summary>Trimmed, all whitespace removed (including the ideographic space), full-width forms made half-width.</summary>
    public static string NormalizeName(string? name)
    {
        if (name is null) return "";
        var sb = new StringBuilder(name.Length);
        foreach (var c in TextNormalization.ToHalfWidth(name))
            if (!char.IsWhiteSpace(c)) sb.Append(c);
        return sb.ToString();
    }

    /// <summary>The phone's digits only (full-width digits count): "138-0013 8000" → "13800138000".</summary>
    public static string PhoneDigits(string? phone)
    {
        if (phone is null) return "";
        var sb = new StringBuilder(phone.Length);
        foreach (var c in TextNormalization.ToHalfWidth(phone))
            if (char.IsAsciiDigit(c)) sb.Append(c);
        return sb.ToString();
    }
}

/// <summary>How alike two 诉求摘要 are (docs/rules.md §6).</summary>
public static class DemandSimilarity
{
    /// <summary>
    /// Jaccard similarity of the two texts' sets of character bigrams, after full-width forms are made half-width,
    /// ASCII letters lower-cased, and whitespace, punctuation and symbols (Chinese and ASCII) removed.
    /// Edge cases: a text that cleans to one character has that character as its single gram (so "好" vs "好" is 1,
    /// "好" vs "好的" is 0); a text that cleans to nothing has no grams, and if either side has no grams the result is 0
    /// (two empty demands say nothing about being the same matter). Grams are a set: repeats count once.
    /// </summary>
    public static double Jaccard(string? a, string? b)
    {
        var ga = Grams(a);
        var gb = Grams(b);
        if (ga.Count == 0 || gb.Count == 0) return 0;
        var common = ga.Count(gb.Contains);
        return (double)common / (ga.Count + gb.Count - common);
    }

    /// <summary>The cleaned text as a list of characters (runes, so rare CJK characters outside the BMP stay whole).</summary>
    public static IReadOnlyList<string> Clean(string? text)
    {
        var chars = new List<string>();
        if (string.IsNullOrEmpty(text)) return chars;
        foreach (var rune in TextNormalization.ToHalfWidth(text).EnumerateRunes())
        {
            if (Rune.IsWhiteSpace(rune) || Rune.IsPunctuation(rune) || Rune.IsSymbol(rune)) continue;
            chars.Add(Rune.ToLowerInvariant(rune).ToString());
        }
        return chars;
    }

    private static HashSet<string> Grams(string? text)
    {
        var chars = Clean(text);
        if (chars.Count == 1) return [chars[0]];
        var grams = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < chars.Count; i++) grams.Add(chars[i] + chars[i + 1]);
        return grams;
    }
}

/// <summary>The repeat rules of docs/rules.md §6: same person, same matter, cluster window.</summary>
public static class RepeatRule
{
    /// <summary>Same person: the two petitions share at least one petitioner identity key (null keys never match).</summary>
    public static bool SharesPetitioner(IEnumerable<string?> identityKeysA, IEnumerable<string?> identityKeysB)
    {
        var a = identityKeysA.OfType<string>().ToHashSet(StringComparer.Ordinal);
        return identityKeysB.OfType<string>().Any(a.Contains);
    }

    /// <summary>
    /// Same matter: same 问题属地 and the same 一级 category (compared trimmed, exactly), and demand similarity ≥ threshold.
    /// A hand link by a duty officer is recorded elsewhere and overrides this.
    /// </summary>
    public static bool IsSameMatter(
        string? localityA, string? categoryA, string? demandA,
        string? localityB, string? categoryB, string? demandB, double threshold)
    {
        if (threshold is <= 0 or > 1 || double.IsNaN(threshold))
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "Repeat:Similarity must be in (0, 1].");
        if (string.IsNullOrWhiteSpace(localityA) || string.IsNullOrWhiteSpace(categoryA)) return false;
        if (!string.Equals(localityA.Trim(), localityB?.Trim(), StringComparison.Ordinal)) return false;
        if (!string.Equals(categoryA.Trim(), categoryB?.Trim(), StringComparison.Ordinal)) return false;
        return DemandSimilarity.Jaccard(demandA, demandB) >= threshold;
    }

    /// <summary>Cluster (同事多人) window: the two petitions were received at most <paramref name="clusterDays"/> calendar days apart.</summary>
    public static bool WithinClusterWindow(DateOnly receivedA, DateOnly receivedB, int clusterDays) =>
        Math.Abs(receivedA.DayNumber - receivedB.DayNumber) <= clusterDays;

    /// <summary>Thread repeat count = petitions in the thread − 1.</summary>
    public static int RepeatCount(int petitionsInThread) => Math.Max(0, petitionsInThread - 1);
}
