using System.IO.Compression;
using System.Text;

namespace PetitionDashboard.Tests.Features.Import;

/// <summary>
/// Hand-made .xlsx packages for the hostile-file tests: a minimal workbook (content types, relationships, one sheet, an
/// optional shared string table) whose parts are streamed into the zip, so a million rows or a 100 MB string are written
/// without the test holding them. <see cref="UnderstateSize"/> rewrites a part's declared size, as a zip bomb would.
/// </summary>
public static class HostileWorkbook
{
    public const string SheetPart = "xl/worksheets/sheet1.xml";
    public const string SharedStringsPart = "xl/sharedStrings.xml";
    private const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    private const string Rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

    /// <summary>Writes a workbook to <paramref name="path"/>: the sheet's sheetData content and optionally the shared strings' items.</summary>
    public static string Write(string path, Action<TextWriter> sheetData, Action<TextWriter>? sharedStrings = null, bool withWorkbook = true)
    {
        using (var file = File.Create(path))
        using (var zip = new ZipArchive(file, ZipArchiveMode.Create))
        {
            Part(zip, "[Content_Types].xml", w => w.Write(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">" +
                "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>" +
                "<Default Extension=\"xml\" ContentType=\"application/xml\"/></Types>"));
            Part(zip, "_rels/.rels", w => w.Write(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">" +
                $"<Relationship Id=\"rId1\" Type=\"{Rel}/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"));
            if (withWorkbook)
                Part(zip, "xl/workbook.xml", w => w.Write(
                    $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook xmlns=\"{Main}\" xmlns:r=\"{Rel}\"><sheets>" +
                    "<sheet name=\"台账\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"));
            Part(zip, "xl/_rels/workbook.xml.rels", w => w.Write(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">" +
                $"<Relationship Id=\"rId1\" Type=\"{Rel}/worksheet\" Target=\"worksheets/sheet1.xml\"/>" +
                (sharedStrings is null ? "" : $"<Relationship Id=\"rId2\" Type=\"{Rel}/sharedStrings\" Target=\"sharedStrings.xml\"/>") +
                "</Relationships>"));
            Part(zip, SheetPart, w =>
            {
                w.Write($"<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"{Main}\"><sheetData>");
                sheetData(w);
                w.Write("</sheetData></worksheet>");
            });
            if (sharedStrings is not null)
                Part(zip, SharedStringsPart, w =>
                {
                    w.Write($"<?xml version=\"1.0\" encoding=\"UTF-8\"?><sst xmlns=\"{Main}\">");
                    sharedStrings(w);
                    w.Write("</sst>");
                });
        }
        return path;
    }

    /// <summary>A header row (信访编号 in A1) and then whatever <paramref name="more"/> writes.</summary>
    public static Action<TextWriter> HeaderAnd(Action<TextWriter> more) => w =>
    {
        w.Write("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>信访编号</t></is></c></row>");
        more(w);
    };

    /// <summary>Writes <paramref name="count"/> copies of <paramref name="chunk"/> (a string that long, streamed).</summary>
    public static void Repeat(TextWriter w, string chunk, long count)
    {
        for (long i = 0; i < count; i++) w.Write(chunk);
    }

    /// <summary>Rewrites the uncompressed size a part declares (local header and central directory) to <paramref name="declared"/>.</summary>
    public static void UnderstateSize(string path, string part, uint declared)
    {
        var bytes = File.ReadAllBytes(path);
        var name = Encoding.UTF8.GetBytes(part);
        var patched = 0;
        for (var i = 0; i + 46 < bytes.Length; i++)
        {
            if (bytes[i] != 0x50 || bytes[i + 1] != 0x4B) continue;
            if (bytes[i + 2] == 3 && bytes[i + 3] == 4 && bytes.AsSpan(i + 30, name.Length).SequenceEqual(name))
            {
                BitConverter.TryWriteBytes(bytes.AsSpan(i + 22, 4), declared);
                patched++;
            }
            else if (bytes[i + 2] == 1 && bytes[i + 3] == 2 && bytes.AsSpan(i + 46, name.Length).SequenceEqual(name))
            {
                BitConverter.TryWriteBytes(bytes.AsSpan(i + 24, 4), declared);
                patched++;
            }
        }
        if (patched != 2) throw new InvalidOperationException($"part {part} found {patched} times");
        File.WriteAllBytes(path, bytes);
    }

    private static void Part(ZipArchive zip, string name, Action<TextWriter> write)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.SmallestSize);
        using var writer = new StreamWriter(entry.Open(), new UTF8Encoding(false), 1 << 16);
        write(writer);
    }
}
