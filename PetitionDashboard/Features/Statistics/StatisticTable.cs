using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using PetitionDashboard.Domain;

namespace PetitionDashboard.Features.Statistics;

/// <summary>
/// Stored weekly rows as /statistics carries them from its prerender to its circuit (persisted component state, in the
/// page's HTML): a table — the column names once, then each row's values in that order — instead of one JSON object per
/// row repeating ~30 property names (and the unit each row was read with). Every stored value travels; the circuit gets
/// rows equal to the ones the prerender read.
/// </summary>
[JsonConverter(typeof(StatisticTableConverter))]
public sealed class StatisticTable(IReadOnlyList<WeeklyUnitStatistic> rows)
{
    public IReadOnlyList<WeeklyUnitStatistic> Rows { get; } = rows;

    /// <summary>Every stored value of a row: its settable scalar properties (not the <see cref="WeeklyUnitStatistic.Unit"/> navigation).</summary>
    internal static readonly PropertyInfo[] Columns = typeof(WeeklyUnitStatistic).GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.CanRead && p.CanWrite && p.GetIndexParameters().Length == 0 && (p.PropertyType.IsValueType || p.PropertyType == typeof(string)))
        .OrderBy(p => p.Name, StringComparer.Ordinal)
        .ToArray();
}

/// <summary>Writes a <see cref="StatisticTable"/> as <c>{"columns":[…],"rows":[[…],…]}</c>; reads columns by name (one it does not know is skipped).</summary>
public sealed class StatisticTableConverter : JsonConverter<StatisticTable>
{
    private static readonly Dictionary<string, PropertyInfo> ByName = StatisticTable.Columns.ToDictionary(c => c.Name, StringComparer.Ordinal);

    public override void Write(Utf8JsonWriter writer, StatisticTable value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("columns");
        foreach (var column in StatisticTable.Columns) writer.WriteStringValue(column.Name);
        writer.WriteEndArray();
        writer.WriteStartArray("rows");
        foreach (var row in value.Rows)
        {
            writer.WriteStartArray();
            foreach (var column in StatisticTable.Columns) JsonSerializer.Serialize(writer, column.GetValue(row), column.PropertyType, options);
            writer.WriteEndArray();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    public override StatisticTable Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var table = JsonDocument.ParseValue(ref reader);
        var columns = table.RootElement.GetProperty("columns").EnumerateArray().Select(c => ByName.GetValueOrDefault(c.GetString() ?? "")).ToArray();
        var rows = new List<WeeklyUnitStatistic>();
        foreach (var values in table.RootElement.GetProperty("rows").EnumerateArray())
        {
            var row = new WeeklyUnitStatistic();
            var i = 0;
            foreach (var value in values.EnumerateArray())
            {
                if (i < columns.Length && columns[i] is { } column) column.SetValue(row, value.Deserialize(column.PropertyType, options));
                i++;
            }
            rows.Add(row);
        }
        return new StatisticTable(rows);
    }
}
