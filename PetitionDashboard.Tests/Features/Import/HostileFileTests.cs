using ClosedXML.Excel;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Assignments;
using PetitionDashboard.Features.Import;
using PetitionDashboard.Tests.Support;
using static PetitionDashboard.Tests.Features.Import.HostileWorkbook;

namespace PetitionDashboard.Tests.Features.Import;

/// <summary>Tests that measure the process's memory run here, alone: nothing else allocates meanwhile.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryMeasuredCollection
{
    public const string Name = "Memory measured";
}

/// <summary>
/// The hostile-file corpus (issue 13): each file is generated here, imported the way the import page does (receive, then
/// import) and refused with a Chinese message naming its limit — with the process's memory measured around the import
/// and held far below what the file would cost if it were read (≤ 300 MB peak growth). The case-number upload of a
/// 集中交办 batch reads workbooks through the same reader and is refused the same way.
/// </summary>
[Collection(MemoryMeasuredCollection.Name)]
public sealed class HostileFileTests : IAsyncLifetime
{
    private const long PeakBound = 300 * MemoryProbe.Megabyte;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly string _folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"pd-hostile-{Guid.NewGuid():N}")).FullName;
    private ImportWorld _world = null!;

    public async ValueTask InitializeAsync() => _world = await ImportWorld.CreateAsync();

    public async ValueTask DisposeAsync()
    {
        await _world.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private string NewPath(string name) => Path.Combine(_folder, name);

    /// <summary>Imports the file as the page does; asserts it was refused with <paramref name="expected"/> and the memory bound.</summary>
    private async Task<ImportError> RefusedAsync(string path, string expected, string label)
    {
        var importer = _world.Importer();
        ImportResult result;
        using (var probe = MemoryProbe.Start())
        {
            string received;
            await using (var upload = File.OpenRead(path))
                received = await importer.ReceiveAsync(upload, Path.GetFileName(path), upload.Length, Ct);
            try
            {
                result = await importer.ImportAsync(received, Path.GetFileName(path), null, Ct);
            }
            finally
            {
                File.Delete(received);
            }
            probe.Dispose();
            Report(label, path, probe);
            Assert.True(probe.HeapPeakGrowth <= PeakBound, $"{label}: {probe}");
            Assert.True(probe.WorkingSetPeakGrowth <= PeakBound, $"{label}: {probe}");
        }
        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Errors);
        Assert.Contains(expected, error.Reason);
        Assert.DoesNotMatch("[A-Za-z]{4,} [a-z]{3,} [a-z]{3,}", error.Reason); // no English sentence from .NET
        Assert.Equal(0, (await _world.CountsAsync()).Petitions);
        return error;
    }

    private static void Report(string label, string path, MemoryProbe probe)
    {
        var line = $"{label}（文件 {new FileInfo(path).Length / 1024.0:F0} KB）：{probe}";
        TestContext.Current.TestOutputHelper?.WriteLine(line);
        File.AppendAllText(Path.Combine(Browser.Artifacts.Logs, "hostile-files-memory.txt"), line + Environment.NewLine);
    }

    [Fact]
    public async Task ZipBomb_300MegabytesOfXmlIn_AFewHundredKilobytes_IsRefusedByItsUnzippedSize()
    {
        var path = Write(NewPath("炸弹.xlsx"), HeaderAnd(w => Repeat(w, new string(' ', 1 << 20), 300)));

        await RefusedAsync(path, "解压后超过 200 MB 的上限（上限由 Import:MaxUnzippedMegabytes 设置）", "压缩炸弹（如实声明大小）");
    }

    [Fact]
    public async Task ZipBomb_ThatUnderstatesItsSize_IsNeverInflatedPastWhatItDeclares_AndRefusedAsDamaged()
    {
        var path = Write(NewPath("炸弹-虚报.xlsx"), HeaderAnd(w => Repeat(w, new string(' ', 1 << 20), 300)));
        UnderstateSize(path, SheetPart, 4096);

        // The part is read through a counting stream; the zip reader also stops at the declared 4 KB, so the sheet's XML
        // ends mid-way: a damaged file, refused with the part's name and without inflating the other 300 MB.
        await RefusedAsync(path, "工作簿已损坏或不完整：部件“xl/worksheets/sheet1.xml”无法读取", "压缩炸弹（虚报解压大小）");
    }

    [Fact]
    public async Task WhitespacePadding_UnderTheUnzippedLimit_IsStreamedThrough_WithoutBeingHeld()
    {
        var path = Write(NewPath("填充.xlsx"), HeaderAnd(w => Repeat(w, new string(' ', 1 << 20), 150)));

        // Read to the end (150 MB inflated and parsed), then refused for what the ledger lacks — not for its size.
        await RefusedAsync(path, "缺少必填列", "150 MB 空白填充（限额内，完整读取）");
    }

    [Fact]
    public async Task AnAttributeOf50Megabytes_IsRefusedAsAnOverlongTag()
    {
        var path = Write(NewPath("超长属性.xlsx"), HeaderAnd(w =>
        {
            w.Write("<row r=\"2\" spans=\"");
            Repeat(w, new string('1', 1 << 20), 50);
            w.Write("\"/>");
        }));

        await RefusedAsync(path, "一个 XML 标记超过 1 MB", "50 MB 的属性");
    }

    [Fact]
    public async Task AMillionEmptyRows_AreRefusedAtTheRowLimit()
    {
        var path = Write(NewPath("百万空行.xlsx"), HeaderAnd(w =>
        {
            for (var r = 2; r <= 1_000_001; r++) w.Write($"<row r=\"{r}\"/>");
        }));

        await RefusedAsync(path, "超过 200000 行的上限（空行也计入；上限由 Import:MaxRows 设置）", "一百万空行");
    }

    [Fact]
    public async Task ACellAtColumnXfd_IsRefusedAtTheColumnLimit()
    {
        var path = Write(NewPath("XFD.xlsx"), HeaderAnd(w => w.Write("<row r=\"2\"><c r=\"XFD2\" t=\"inlineStr\"><is><t>远</t></is></c></row>")));

        await RefusedAsync(path, "单元格 XFD2 超出 256 列的上限（上限由 Import:MaxColumns 设置）", "XFD 列的单元格");
    }

    [Fact]
    public async Task ACellBeyondXfd_IsRefusedAsOutsideExcelsGrid_WithoutSizingAnArrayByIt()
    {
        var path = Write(NewPath("ZZZZZZ.xlsx"), w => w.Write(
            "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>信访编号</t></is></c><c r=\"ZZZZZZ1\" t=\"inlineStr\"><is><t>登记日期</t></is></c></row>"));

        await RefusedAsync(path, "单元格位置“ZZZZZZ1”超出 Excel 的列范围（最多 16384 列，至 XFD 列）", "XFD 以外的单元格");
    }

    [Fact]
    public async Task A100MegabyteSharedString_IsRefusedAtTheCellLimit_BeforeItIsHeld()
    {
        var path = Write(NewPath("超长共享字符串.xlsx"),
            w => w.Write("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>"),
            w =>
            {
                w.Write("<si><t>");
                Repeat(w, new string('长', 1 << 16), 100L * 1024 * 1024 / 3 / (1 << 16)); // 100 MB of UTF-8
                w.Write("</t></si>");
            });

        await RefusedAsync(path, "共享字符串第 1 项超过 32767 个字符的上限（上限由 Import:MaxCellCharacters 设置）", "100 MB 共享字符串");
    }

    [Fact]
    public async Task SharedStrings_OverTheirCount_AreRefused()
    {
        _world.Options.MaxSharedStrings = 1000;
        var path = Write(NewPath("共享字符串过多.xlsx"),
            w => w.Write("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>"),
            w =>
            {
                for (var i = 0; i < 5000; i++) w.Write($"<si><t>编号{i}</t></si>");
            });

        await RefusedAsync(path, "共享字符串超过 1000 个的上限（上限由 Import:MaxSharedStrings 设置）", "共享字符串条数");
    }

    [Fact]
    public async Task AnOverlongCell_IsRefusedNamingItsRowAndColumn()
    {
        var path = Write(NewPath("超长单元格.xlsx"), HeaderAnd(w =>
        {
            w.Write("<row r=\"2\"><c r=\"B2\" t=\"inlineStr\"><is><t>");
            Repeat(w, "诉求", 20_000);
            w.Write("</t></is></c></row>");
        }));

        await RefusedAsync(path, "第 2 行 B 列的单元格超过 32767 个字符的上限", "超长单元格");
    }

    [Fact]
    public async Task NotAZip_IsRefusedOnReceipt()
    {
        var path = NewPath("伪装.xlsx");
        await File.WriteAllTextAsync(path, "信访编号,登记日期\nXF-1,2026-11-02\n", Ct);

        await using var upload = File.OpenRead(path);
        var refusal = await Assert.ThrowsAsync<ActionRefusedException>(() => _world.Importer().ReceiveAsync(upload, "伪装.xlsx", upload.Length, Ct));

        Assert.Contains("的内容不是 Excel 工作簿", refusal.Message);
    }

    [Fact]
    public async Task AZipSignatureWithGarbageBehindIt_IsRefusedAsNotAWorkbook()
    {
        var path = NewPath("坏包.xlsx");
        await File.WriteAllBytesAsync(path, [0x50, 0x4B, 0x03, 0x04, .. Enumerable.Range(0, 5000).Select(i => (byte)(i * 7))], Ct);

        await RefusedAsync(path, "文件不是有效的 Excel 工作簿", "zip 签名后是乱码");
    }

    [Fact]
    public async Task ATruncatedWorkbook_IsRefusedAsIncomplete()
    {
        var whole = new LedgerFile().Row("XF-1").Row("XF-2").Save(NewPath("完整.xlsx"));
        var bytes = await File.ReadAllBytesAsync(whole, Ct);
        var path = NewPath("截断.xlsx");
        await File.WriteAllBytesAsync(path, bytes[..(bytes.Length * 2 / 3)], Ct);

        await RefusedAsync(path, "文件不完整（上传中断或已损坏）", "截断的工作簿");
    }

    [Fact]
    public async Task AWorkbookWithoutItsWorkbookPart_IsRefusedNamingThePart()
    {
        var path = Write(NewPath("缺部件.xlsx"), HeaderAnd(_ => { }), withWorkbook: false);

        await RefusedAsync(path, "缺少必需的部件“xl/workbook.xml”", "缺少 xl/workbook.xml");
    }

    [Fact]
    public async Task ASheetThatIsNotXml_IsRefusedAsDamaged()
    {
        var path = Write(NewPath("坏XML.xlsx"), w => w.Write("<row r=\"1\"><c r=\"A1\"><v>1</v></row></c>"));

        await RefusedAsync(path, "部件“xl/worksheets/sheet1.xml”无法读取", "XML 损坏");
    }

    [Fact]
    public async Task AnOrdinaryLedger_StillImports_UnderTheLimits()
    {
        var result = await _world.ImportAsync(new LedgerFile().Titles("临川市信访局台账").Row("XF-1").Row("XF-2"));

        Assert.True(result.Succeeded, string.Join("\n", result.Errors.Select(e => e.Message)));
        Assert.Equal(2, result.Added);
    }

    [Fact]
    public async Task Limits_AreTheConfiguredOnes()
    {
        _world.Options.MaxRows = 3;
        var path = new LedgerFile().Row("XF-1").Row("XF-2").Row("XF-3").Save(NewPath("四行.xlsx"));

        await RefusedAsync(path, "超过 3 行的上限", "Import:MaxRows = 3");
    }

    // ---- the case-number list of a 集中交办 batch reads uploads through the same reader ------------------------------

    [Fact]
    public async Task CaseNumberWorkbook_ZipBomb_IsRefusedWithTheFileName()
    {
        var path = Write(NewPath("交办清单.xlsx"), HeaderAnd(w => Repeat(w, new string(' ', 1 << 20), 300)));
        Assert.True(new FileInfo(path).Length < CaseNumberList.MaxFileBytes);

        var refusal = await CaseNumberRefusalAsync(path);

        Assert.Contains("文件“交办清单.xlsx”：工作簿解压后超过 200 MB 的上限", refusal.Message);
    }

    [Fact]
    public async Task CaseNumberWorkbook_CellBeyondXfd_IsRefused()
    {
        var path = Write(NewPath("交办清单.xlsx"), w => w.Write("<row r=\"1\"><c r=\"AAAAAAAAAAAAAAAAAAAAAAAAA1\"><v>1</v></c></row>"));

        var refusal = await CaseNumberRefusalAsync(path);

        Assert.Contains("超出 Excel 的列范围", refusal.Message);
    }

    [Fact]
    public async Task CaseNumberWorkbook_Truncated_IsRefusedInChinese()
    {
        using var workbook = new XLWorkbook();
        workbook.AddWorksheet("清单").Cell(1, 1).Value = "信访编号";
        var full = NewPath("完整清单.xlsx");
        workbook.SaveAs(full);
        var bytes = await File.ReadAllBytesAsync(full, Ct);
        var path = NewPath("交办清单.xlsx");
        await File.WriteAllBytesAsync(path, bytes[..(bytes.Length / 2)], Ct);

        var refusal = await CaseNumberRefusalAsync(path);

        Assert.Contains("文件“交办清单.xlsx”：文件不是有效的 Excel 工作簿", refusal.Message);
    }

    private async Task<ActionRefusedException> CaseNumberRefusalAsync(string path)
    {
        await using var content = File.OpenRead(path);
        using var probe = MemoryProbe.Start();
        var refusal = await Assert.ThrowsAsync<ActionRefusedException>(() =>
            CaseNumberList.ReadAsync(content, Path.GetFileName(path), new ImportOptions().WorkbookLimits, Ct));
        probe.Dispose();
        Report("交办清单：" + refusal.Message[..Math.Min(30, refusal.Message.Length)], path, probe);
        Assert.True(probe.HeapPeakGrowth <= PeakBound, probe.ToString());
        return refusal;
    }
}
