using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Import;
using PetitionDashboard.Infrastructure.Excel;

namespace PetitionDashboard.Tests.Features.Import;

/// <summary>
/// Issue 17, defect 9: a ledger whose cell sits at an absurd column ("ZZZZZZZZZZ2", written by a broken tool) answered
/// "Index was outside the bounds of the array"; it is refused in Chinese, naming the row and the cell.
/// </summary>
public sealed class LedgerCellPositionTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"ledger-{Guid.NewGuid():N}.xlsx");

    [Theory]
    [InlineData("ZZZZZZZZZZ2")]
    [InlineData("XFE2")]
    public void ACellBeyondTheLastExcelColumn_IsRefusedInChinese(string reference)
    {
        new LedgerFile().Row("XF-2026-900001").Save(_path);
        using (var doc = SpreadsheetDocument.Open(_path, true))
        {
            var sheet = doc.WorkbookPart!.WorksheetParts.First(p => p.Worksheet.Descendants<Cell>().Any(c => c.CellReference?.Value == "B2"));
            sheet.Worksheet.Descendants<Cell>().Single(c => c.CellReference?.Value == "B2").CellReference = reference;
            sheet.Worksheet.Save();
        }

        var e = Assert.Throws<ActionRefusedException>(() => LedgerReader.Read(_path, new Dictionary<string, string>(), ct: TestContext.Current.CancellationToken));
        Assert.Equal($"第 2 行的单元格“{reference}”不是有效的单元格位置（超出 Excel 的最大列 XFD），文件可能已损坏，未导入任何数据", e.Message);
    }

    [Theory]
    [InlineData("B12", 2)]
    [InlineData("XFD1", 16_384)]
    [InlineData("XFE1", 0)]
    [InlineData("ZZZZZZZZZZZZ1", 0)]
    public void ColumnNumber_StopsAtTheLastExcelColumn(string reference, int expected) =>
        Assert.Equal(expected, ExcelText.ColumnNumber(reference));

    public void Dispose() => File.Delete(_path);
}
