using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.WebUtilities;
using PetitionDashboard.Domain;

namespace PetitionDashboard.Features.Backlog;

/// <summary>Which petitions the backlog looks at: the open ones (在办, the default) or all of them.</summary>
public enum BacklogScope { Open = 0, All = 1 }

/// <summary>The aging buckets of the backlog page: age = today − received on, in calendar days.</summary>
public enum AgeBucket { UpTo15 = 1, Days16To60 = 2, Days61To90 = 3, Days91To180 = 4, Over180 = 5 }

/// <summary>
/// Everything the backlog grid can be filtered by. The KPI cards and aging buckets are defined as filters too,
/// so a card's count and the grid behind its link come from the same predicate (<see cref="BacklogQuery"/>).
/// The filter round-trips through the URL query string (<see cref="ToUrl"/> / <see cref="FromQuery"/>), in JSON too
/// (<see cref="BacklogFilterJsonConverter"/>).
/// </summary>
[JsonConverter(typeof(BacklogFilterJsonConverter))]
public sealed record BacklogFilter
{
    public BacklogScope Scope { get; init; } = BacklogScope.Open;
    public int? UnitId { get; init; }
    public string? Category { get; init; }
    public PetitionForm? Form { get; init; }
    /// <summary>正常 / 临期 / 超期 only; always restricts to open petitions (deadline status is defined for open ones).</summary>
    public DeadlineStatus? Deadline { get; init; }
    public SupervisionLevel? Supervision { get; init; }
    /// <summary>True: the thread has an active or relapsed 包案; false: it has none.</summary>
    public bool? HasAssignment { get; init; }
    public bool? IsRepeat { get; init; }
    /// <summary>True: 领导接访件 (received at a Leader's reception, docs/rules.md §11); false: not.</summary>
    public bool? LeaderReception { get; init; }
    public DateOnly? ReceivedFrom { get; init; }
    public DateOnly? ReceivedTo { get; init; }
    public AgeBucket? Age { get; init; }
    /// <summary>Free text: case number, petitioner names or demand.</summary>
    public string? Text { get; init; }
    /// <summary>True: only the 高风险初件 of the 初转重 risk score (docs/rules.md §15).</summary>
    public bool? HighRisk { get; init; }

    public static readonly BacklogFilter Default = new();

    [JsonIgnore]
    public bool IsDefault => this == Default;

    /// <summary>An inverted 登记日期 range would match nothing; it is refused with this message instead of showing 0 rows.</summary>
    [JsonIgnore]
    public string? RangeError => ReceivedFrom > ReceivedTo
        ? $"登记日期：起始日期（{ReceivedFrom:yyyy-MM-dd}）不能晚于截止日期（{ReceivedTo:yyyy-MM-dd}）" : null;

    // Query-string keys: short, stable, shareable.
    public const string ScopeKey = "scope", UnitKey = "unit", CategoryKey = "category", FormKey = "form", StatusKey = "status",
        SupervisionKey = "supervision", AssignedKey = "assigned", RepeatKey = "repeat", ReceptionKey = "reception", FromKey = "from", ToKey = "to",
        AgeKey = "age", TextKey = "q", RiskKey = "risk";

    private static readonly (DeadlineStatus Value, string Text)[] StatusTexts =
        [(DeadlineStatus.Overdue, "overdue"), (DeadlineStatus.DueSoon, "duesoon"), (DeadlineStatus.Normal, "normal")];

    private static readonly (SupervisionLevel Value, string Text)[] SupervisionTexts =
        [(SupervisionLevel.None, "none"), (SupervisionLevel.Urge, "urge"), (SupervisionLevel.Supervise, "supervise"), (SupervisionLevel.Listed, "listed")];

    private static readonly (PetitionForm Value, string Text)[] FormTexts =
    [
        (PetitionForm.Letter, "letter"), (PetitionForm.Visit, "visit"), (PetitionForm.Online, "online"),
        (PetitionForm.Phone, "phone"), (PetitionForm.Fax, "fax"), (PetitionForm.LeaderMailbox, "mailbox"),
    ];

    private static readonly (AgeBucket Value, string Text)[] AgeTexts =
    [
        (AgeBucket.UpTo15, "0-15"), (AgeBucket.Days16To60, "16-60"), (AgeBucket.Days61To90, "61-90"),
        (AgeBucket.Days91To180, "91-180"), (AgeBucket.Over180, "181-"),
    ];

    /// <summary>Reads a filter from query-string values; anything unknown or malformed is ignored (a shared link never crashes the page).</summary>
    public static BacklogFilter FromQuery(IReadOnlyDictionary<string, string?> query)
    {
        string? Get(string key) => query.TryGetValue(key, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;
        return new BacklogFilter
        {
            Scope = Get(ScopeKey) == "all" ? BacklogScope.All : BacklogScope.Open,
            UnitId = int.TryParse(Get(UnitKey), NumberStyles.None, CultureInfo.InvariantCulture, out var unit) ? unit : null,
            Category = Get(CategoryKey),
            Form = Lookup(FormTexts, Get(FormKey)),
            Deadline = Lookup(StatusTexts, Get(StatusKey)),
            Supervision = Lookup(SupervisionTexts, Get(SupervisionKey)),
            HasAssignment = ParseBool(Get(AssignedKey)),
            IsRepeat = ParseBool(Get(RepeatKey)),
            LeaderReception = ParseBool(Get(ReceptionKey)),
            ReceivedFrom = ParseDate(Get(FromKey)),
            ReceivedTo = ParseDate(Get(ToKey)),
            Age = Lookup(AgeTexts, Get(AgeKey)),
            Text = Get(TextKey),
            HighRisk = Get(RiskKey) == "high" ? true : null,
        };
    }

    /// <summary>The filter of a backlog URL (<see cref="ToUrl"/>'s inverse): its query string read by <see cref="FromQuery"/>.</summary>
    public static BacklogFilter FromUrl(string url)
    {
        var query = url.IndexOf('?', StringComparison.Ordinal) is var at and >= 0 ? url[at..] : "";
        return FromQuery(QueryHelpers.ParseQuery(query).ToDictionary(q => q.Key, q => (string?)q.Value.ToString()));
    }

    /// <summary>The query-string pairs of this filter, defaults left out, in a fixed order.</summary>
    public IEnumerable<KeyValuePair<string, string>> ToQuery()
    {
        if (Scope == BacklogScope.All) yield return new(ScopeKey, "all");
        if (Deadline is { } d && Encode(StatusTexts, d) is { } status) yield return new(StatusKey, status);
        if (Supervision is { } s) yield return new(SupervisionKey, Encode(SupervisionTexts, s)!);
        if (Age is { } a) yield return new(AgeKey, Encode(AgeTexts, a)!);
        if (UnitId is { } u) yield return new(UnitKey, u.ToString(CultureInfo.InvariantCulture));
        if (!string.IsNullOrWhiteSpace(Category)) yield return new(CategoryKey, Category.Trim());
        if (Form is { } f) yield return new(FormKey, Encode(FormTexts, f)!);
        if (HasAssignment is { } h) yield return new(AssignedKey, h ? "1" : "0");
        if (IsRepeat is { } r) yield return new(RepeatKey, r ? "1" : "0");
        if (LeaderReception is { } lr) yield return new(ReceptionKey, lr ? "1" : "0");
        if (ReceivedFrom is { } from) yield return new(FromKey, from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        if (ReceivedTo is { } to) yield return new(ToKey, to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        if (!string.IsNullOrWhiteSpace(Text)) yield return new(TextKey, Text.Trim());
        if (HighRisk == true) yield return new(RiskKey, "high");
    }

    /// <summary>The backlog page's URL for exactly this filter, e.g. <c>/?status=overdue&amp;unit=3</c>.</summary>
    public string ToUrl(string path = "/")
    {
        var sb = new StringBuilder(path);
        var first = true;
        foreach (var (key, value) in ToQuery())
        {
            sb.Append(first ? '?' : '&').Append(key).Append('=').Append(Uri.EscapeDataString(value));
            first = false;
        }
        return sb.ToString();
    }

    private static T? Lookup<T>((T Value, string Text)[] table, string? text) where T : struct
    {
        foreach (var (value, t) in table)
            if (string.Equals(t, text, StringComparison.OrdinalIgnoreCase)) return value;
        return null;
    }

    private static string? Encode<T>((T Value, string Text)[] table, T value) where T : struct
    {
        foreach (var (v, t) in table)
            if (EqualityComparer<T>.Default.Equals(v, value)) return t;
        return null;
    }

    private static bool? ParseBool(string? text) => text?.ToLowerInvariant() switch
    {
        "1" or "true" or "yes" => true,
        "0" or "false" or "no" => false,
        _ => null,
    };

    private static DateOnly? ParseDate(string? text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
}

/// <summary>
/// A filter in JSON is its URL: the home page carries its KPI cards' filters from the prerender to the circuit
/// (persisted component state, in the HTML), and a dozen filters as objects of mostly-null properties were ≈ 5 KB of it.
/// The card links already rely on the same round trip (a card is highlighted when the URL's filter equals its own).
/// </summary>
public sealed class BacklogFilterJsonConverter : JsonConverter<BacklogFilter>
{
    public override BacklogFilter Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        BacklogFilter.FromUrl(reader.GetString() ?? "");

    public override void Write(Utf8JsonWriter writer, BacklogFilter value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToUrl());
}
