using System.Text;
using ClosedXML.Excel;
using PetitionDashboard.Features.Assignments;
using PetitionDashboard.Features.Import;

namespace PetitionDashboard.Tests.Features.Assignments;

public sealed class CaseNumberListTests
{
    [Fact]
    public void Parse_SplitsOnLinesCommasChineseSeparatorsAndSpaces_AndDropsTheHeader()
    {
        var numbers = CaseNumberList.Parse("信访编号\nLC1, LC2，LC3；LC4、LC5\tLC6　LC7\r\n\"LC8\"\n\nLC1");

        Assert.Equal(["LC1", "LC2", "LC3", "LC4", "LC5", "LC6", "LC7", "LC8", "LC1"], numbers);
    }

    [Fact]
    public async Task ReadAsync_TakesTheCaseNumberColumnOfASheet_BelowItsTitleRows()
    {
        using var workbook = new XLWorkbook();
        var sheet = workbook.AddWorksheet("台账");
        sheet.Cell(1, 1).Value = "2026年第一批积案交办清单";
        sheet.Cell(2, 1).Value = "序号";
        sheet.Cell(2, 2).Value = "信访件编号";
        sheet.Cell(3, 1).Value = 1;
        sheet.Cell(3, 2).Value = "LC2026000001";
        sheet.Cell(4, 1).Value = 2;
        sheet.Cell(4, 2).Value = "LC2026000002";
        using var stream = new MemoryStream();
        workbook.SaveAs(stream);
        stream.Position = 0;

        var numbers = await CaseNumberList.ReadAsync(stream, "清单.xlsx", new ImportOptions().WorkbookLimits, TestContext.Current.CancellationToken);

        Assert.Equal(["LC2026000001", "LC2026000002"], numbers);
    }

    [Fact]
    public async Task ReadAsync_ReadsATextFileWithABom()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("LC1\nLC2\n")).ToArray());

        var numbers = await CaseNumberList.ReadAsync(stream, "list.txt", new ImportOptions().WorkbookLimits, TestContext.Current.CancellationToken);

        Assert.Equal(["LC1", "LC2"], numbers);
    }
}
