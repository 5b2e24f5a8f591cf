using System.Text;
using PetitionDashboard.Domain;
using PetitionDashboard.Infrastructure.Files;

namespace PetitionDashboard.Features.Import;

/// <summary>Where one parsed row lies in the <see cref="ParsedRowSpill"/>.</summary>
internal readonly record struct SpilledRow(long Offset, int Length);

/// <summary>
/// The rows the import's first pass parsed and checked, kept in a private temp file (<see cref="PrivateTempFiles"/>: the same
/// protection as the uploaded ledger beside it, deleted when the import ends) so that the write reads them back instead of
/// parsing the workbook a second time (issue 12: reading the .xlsx was 41 % of the import's CPU when it was read twice).
/// Memory stays flat in the file's size: a row is an offset and a length until the writer asks for it. The row's 信访编号 and
/// 原信访编号 are not in the spill: the caller's plan holds them for the whole import anyway, and a row read back gets the
/// plan's strings, not a copy per row that the writer's maps would then keep (issue 12: the peak at the largest allowed file).
/// </summary>
internal sealed class ParsedRowSpill : IDisposable
{
    private readonly FileStream _file;
    private readonly MemoryStream _record = new();
    private readonly BinaryWriter _writer;
    private byte[] _buffer = new byte[1024];
    private long _length;
    private bool _sealed;

    private ParsedRowSpill(FileStream file)
    {
        _file = file;
        _writer = new BinaryWriter(_record, Encoding.UTF8, leaveOpen: true);
    }

    /// <summary>A new spill in the private temp folder, deleted when disposed (or by the start-up sweep after a crash).</summary>
    public static ParsedRowSpill Create(PrivateTempFiles temps) =>
        new(PrivateTempFiles.Create(temps.NewPath("ledger-rows", ".bin"), FileAccess.ReadWrite, FileOptions.DeleteOnClose));

    public SpilledRow Add(ParsedLedgerRow row)
    {
        if (_sealed) throw new InvalidOperationException("The spill is being read.");
        _record.SetLength(0);
        var w = _writer;
        w.Write(row.Row);
        w.Write(row.ReceivedOn.DayNumber);
        w.Write((int)row.Form);
        w.Write(row.People.Count);
        foreach (var person in row.People)
        {
            w.Write(person.Name);
            Optional(w, person.IdNumber);
            Optional(w, person.Phone);
        }
        w.Write(row.PeopleCount);
        w.Write(row.Locality);
        w.Write(row.Category);
        w.Write(row.Purpose is { } purpose ? (int)purpose : -1);
        w.Write(row.Demand);
        w.Write(row.UnitName);
        w.Write(row.AcceptedOn?.DayNumber ?? -1);
        w.Write(row.RepliedOn?.DayNumber ?? -1);
        w.Write(row.ClosedOn?.DayNumber ?? -1);
        w.Write(row.ReplyResult is { } result ? (int)result : -1);
        w.Write(row.Evaluation is { } evaluation ? (int)evaluation : -1);
        w.Write(row.SimpleProcedure);
        w.Write(row.ExtensionDays);
        w.Flush();
        var at = new SpilledRow(_length, (int)_record.Length);
        _file.Write(_record.GetBuffer(), 0, at.Length);
        _length += at.Length;
        return at;
    }

    /// <summary>
    /// The row as <see cref="Add"/> got it (any order, any number of times, once every row is added), with the 信访编号 and
    /// 原信访编号 it was added with, as the caller kept them.
    /// </summary>
    public ParsedLedgerRow Read(SpilledRow at, string caseNumber, string? originalCaseNumber)
    {
        if (!_sealed)
        {
            _file.Flush();
            _sealed = true;
        }
        if (_buffer.Length < at.Length) _buffer = new byte[Math.Max(at.Length, _buffer.Length * 2)];
        var span = _buffer.AsSpan(0, at.Length);
        if (RandomAccess.Read(_file.SafeFileHandle, span, at.Offset) != at.Length)
            throw new InvalidOperationException("The spill of parsed rows ends early.");
        using var r = new BinaryReader(new MemoryStream(_buffer, 0, at.Length, writable: false), Encoding.UTF8);
        var number = r.ReadInt32();
        var received = DateOnly.FromDayNumber(r.ReadInt32());
        var form = (PetitionForm)r.ReadInt32();
        var people = new LedgerPerson[r.ReadInt32()];
        for (var i = 0; i < people.Length; i++) people[i] = new LedgerPerson(r.ReadString(), Optional(r), Optional(r));
        var peopleCount = r.ReadInt32();
        var locality = r.ReadString();
        var category = r.ReadString();
        var purpose = r.ReadInt32();
        var demand = r.ReadString();
        var unit = r.ReadString();
        var accepted = Date(r.ReadInt32());
        var replied = Date(r.ReadInt32());
        var closed = Date(r.ReadInt32());
        var result = r.ReadInt32();
        var evaluation = r.ReadInt32();
        var simple = r.ReadBoolean();
        var extension = r.ReadInt32();
        return new ParsedLedgerRow
        {
            Row = number, CaseNumber = caseNumber, ReceivedOn = received, Form = form, People = people, PeopleCount = peopleCount,
            Locality = locality, Category = category, Purpose = purpose < 0 ? null : (PetitionPurpose)purpose, Demand = demand,
            UnitName = unit, AcceptedOn = accepted, RepliedOn = replied, ClosedOn = closed,
            ReplyResult = result < 0 ? null : (ReplyResult)result, Evaluation = evaluation < 0 ? null : (Evaluation)evaluation,
            SimpleProcedure = simple, ExtensionDays = extension, OriginalCaseNumber = originalCaseNumber,
        };

        static DateOnly? Date(int day) => day < 0 ? null : DateOnly.FromDayNumber(day);
    }

    private static void Optional(BinaryWriter w, string? value)
    {
        w.Write(value is not null);
        if (value is not null) w.Write(value);
    }

    private static string? Optional(BinaryReader r) => r.ReadBoolean() ? r.ReadString() : null;

    public void Dispose()
    {
        _writer.Dispose();
        _file.Dispose();
    }
}
