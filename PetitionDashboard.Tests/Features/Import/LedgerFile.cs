using ClosedXML.Excel;
using PetitionDashboard.Features.Import;

namespace PetitionDashboard.Tests.Features.Import;

/// <summary>
/// A ledger .xlsx written with ClosedXML for import tests: headers (canonical unless given), optional title rows, rows
/// as column → value (string, number or DateTime; a value starting with "FORMULA:" becomes a real formula cell), and an
/// optional 单位 sheet.
/// </summary>
public sealed class LedgerFile
{
    private readonly List<Dictionary<string, object?>> _rows = [];
    private readonly List<(string Name, string Kind)> _units = [];
    private readonly List<string> _titles = [];
    private string[] _headers = [.. LedgerColumns.All];

    public LedgerFile Titles(params string[] titles)
    {
        _titles.AddRange(titles);
        return this;
    }

    public LedgerFile Headers(params string[] headers)
    {
        _headers = headers;
        return this;
    }

    /// <summary>A valid registered row (城关区, 城乡建设, 来信), changed by <paramref name="values"/> (keyed by header text).</summary>
    public LedgerFile Row(string caseNumber, params (string Column, object? Value)[] values)
    {
        var row = new Dictionary<string, object?>
        {
            [LedgerColumns.CaseNumber] = caseNumber,
            [LedgerColumns.ReceivedOn] = "2026-11-02",
            [LedgerColumns.Form] = "来信",
            [LedgerColumns.Petitioners] = "张三",
            [LedgerColumns.IdNumbers] = "",
            [LedgerColumns.Phones] = "13812345678",
            [LedgerColumns.PeopleCount] = 1,
            [LedgerColumns.Locality] = "城关区",
            [LedgerColumns.Category] = "城乡建设",
            [LedgerColumns.Demand] = "要求解决小区路灯损坏问题",
            [LedgerColumns.Unit] = "城关区",
        };
        foreach (var (column, value) in values) row[column] = value;
        _rows.Add(row);
        return this;
    }

    public LedgerFile Unit(string name, string kind)
    {
        _units.Add((name, kind));
        return this;
    }

    public int FirstDataRow => _titles.Count + 2;

    public string Save(string? path = null)
    {
        path ??= Path.Combine(Path.GetTempPath(), $"pd-ledger-test-{Guid.NewGuid():N}.xlsx");
        using var wb = new XLWorkbook();
        var ws = wb.Worksheets.Add("台账");
        var r = 1;
        foreach (var t in _titles) ws.Cell(r++, 1).SetValue(t);
        for (var c = 0; c < _headers.Length; c++) ws.Cell(r, c + 1).SetValue(_headers[c]);
        foreach (var row in _rows)
        {
            r++;
            for (var c = 0; c < _headers.Length; c++)
            {
                if (!row.TryGetValue(_headers[c], out var value) || value is null) continue;
                var cell = ws.Cell(r, c + 1);
                switch (value)
                {
                    case string s when s.StartsWith("FORMULA:", StringComparison.Ordinal): cell.FormulaA1 = s["FORMULA:".Length..]; break;
                    case string s: cell.SetValue(s); break;
                    case DateTime d:
                        cell.SetValue(d);
                        cell.Style.NumberFormat.Format = "yyyy-mm-dd";
                        break;
                    case int i: cell.SetValue(i); break;
                    case long l: cell.SetValue(l); break;
                    case double d: cell.SetValue(d); break;
                    default: cell.SetValue(value.ToString()); break;
                }
            }
        }
        if (_units.Count > 0)
        {
            var us = wb.Worksheets.Add(LedgerColumns.UnitSheet);
            us.Cell(1, 1).SetValue(LedgerColumns.UnitName);
            us.Cell(1, 2).SetValue(LedgerColumns.UnitKind);
            for (var i = 0; i < _units.Count; i++)
            {
                us.Cell(i + 2, 1).SetValue(_units[i].Name);
                us.Cell(i + 2, 2).SetValue(_units[i].Kind);
            }
        }
        wb.SaveAs(path);
        return path;
    }
}
