using System.Data.Common;
using System.Globalization;
using System.Linq.Expressions;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using PetitionDashboard.Data;
using PetitionDashboard.Data.Demo;
using PetitionDashboard.Data.Migrations.Steps;
using PetitionDashboard.Domain;
using SQLitePCL;

namespace PetitionDashboard.Features.Import;

/// <summary>
/// The import's INSERTs of new rows — threads, petitioners, petitions, their links and events, and the audit rows of the
/// repeats it joins in memory — outside the change tracker.
/// On SQLite they are held and written as multi-row INSERTs (<see cref="ImportOptions.RowsPerInsert"/> rows per statement,
/// flushed before anything reads the tables): one statement per row cost a statement transaction per row, in which the
/// full-text index flushes its pending terms (issue 12: the single-row INSERTs were 37 % of a 50,000-row import, nearly all
/// inside SQLite). Their keys are given here as SQLite's AUTOINCREMENT would give them — the largest key ever used plus
/// one, read when first needed and again after anyone else wrote the table (<see cref="Invalidate"/>) — so the rows and
/// ids are the ones one INSERT per row gives (LedgerWritePassTests). Other providers, or RowsPerInsert = 1: one prepared
/// INSERT per row, the key returned by the database.
/// </summary>
internal sealed class ImportInserts : IDisposable
{
    private readonly IRowTable[] _tables; // in the order of their foreign keys
    private readonly RowTable<PetitionThread> _threads;
    private readonly RowTable<Petitioner> _petitioners;
    private readonly RowTable<Petition> _petitions;
    private readonly RowTable<PetitionPetitioner> _links;
    private readonly RowTable<PetitionEvent> _events;
    private readonly RowTable<AuditEntry> _audit;
    // The rows handed to WriteInBackground, being written on another thread; every other use of the connection waits for it.
    private Task? _writing;
    // SQLite, multi-row: the petitions' insert triggers are off while these rows are written and their work done set-wise
    // (see TriggersOn); null when the connection keeps its triggers.
    private readonly PetitionTriggers? _petitionTriggers;

    public ImportInserts(AppDbContext db, int rowsPerInsert)
    {
        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("The import writes inside its own transaction.");
        var batched = db.Database.IsSqlite() && rowsPerInsert > 1 ? rowsPerInsert : 0;
        _threads = new RowTable<PetitionThread>(this, db, connection, transaction, batched, generatedKey: true);
        _petitioners = new RowTable<Petitioner>(this, db, connection, transaction, batched, generatedKey: true);
        _petitions = new RowTable<Petition>(this, db, connection, transaction, batched, generatedKey: true, offTriggers: true);
        _links = new RowTable<PetitionPetitioner>(this, db, connection, transaction, batched, generatedKey: false);
        _events = new RowTable<PetitionEvent>(this, db, connection, transaction, batched, generatedKey: true);
        _audit = new RowTable<AuditEntry>(this, db, connection, transaction, batched, generatedKey: true);
        _tables = [_threads, _petitioners, _petitions, _links, _events, _audit];
        HoldsRows = batched > 0;
        if (batched > 0) _petitionTriggers = PetitionTriggers.IfOnlyKnown((SqliteConnection)connection, (SqliteTransaction)transaction, _tables.Select(t => t.Table));
    }

    /// <summary>Rows are held until <see cref="Flush"/> (multi-row INSERTs): a row added may still be completed before it is written.</summary>
    public bool HoldsRows { get; }

    /// <summary>The petitions are written with the connection's triggers off, their work done by <see cref="TriggersOn"/>.</summary>
    public bool DefersPetitionTriggers => _petitionTriggers is not null;

    /// <summary>Each of these sets the entity's key before it returns (the row itself may still be held).</summary>
    public void Thread(PetitionThread thread) => _threads.Add(thread);

    public void Petitioner(Petitioner petitioner) => _petitioners.Add(petitioner);

    public void Petition(Petition petition)
    {
        _petitions.Add(petition);
        _petitionTriggers?.Written(petition.Id);
    }

    public void Link(PetitionPetitioner link) => _links.Add(link);

    public void Event(PetitionEvent e) => _events.Add(e);

    /// <summary>An audit row whose actor class is already stamped (AuditInterceptor.ClassifyActorsAsync): the interceptor does not see it.</summary>
    public void Audit(AuditEntry entry) => _audit.Add(entry);

    /// <summary>Writes every held row (parents first). Call before anything reads these tables or uses the connection.</summary>
    public void Flush()
    {
        AwaitBackground();
        foreach (var t in _tables) t.Flush();
    }

    /// <summary>
    /// Writes every held row, then does what the petitions' insert triggers left undone for them, and turns the triggers back
    /// on: call before anything else writes petitions on this connection (EF's tracked join) and when the import's writing
    /// ends. The next rows written turn them off again.
    /// </summary>
    public void TriggersOn()
    {
        Flush();
        _petitionTriggers?.On();
    }

    /// <summary>
    /// Writes every held row (parents first) on another thread, while the caller prepares the next rows (issue 12 goal 8: in
    /// a warm import SQLite's work — binding, stepping, the pages it writes — was three quarters of the write, the rows'
    /// preparation the rest, one after the other on one core of two). The rows handed over must be complete (no later change
    /// to them is written). Whatever uses the connection next — <see cref="Flush"/>, a table's first key, a query of the
    /// caller's after <see cref="AwaitBackground"/> — waits for it first; its failure is thrown there.
    /// </summary>
    public void WriteInBackground()
    {
        AwaitBackground();
        var held = _tables.Select(t => t.Hand()).OfType<Action>().ToList();
        if (held.Count == 0) return;
        _writing = Task.Run(() =>
        {
            foreach (var write in held) write();
        });
    }

    /// <summary>Waits for the rows being written in the background (throws what their writing threw).</summary>
    public void AwaitBackground()
    {
        if (_writing is not { } writing) return;
        _writing = null;
        writing.GetAwaiter().GetResult();
    }

    /// <summary>Someone else (EF) wrote rows: the next keys are read again. Flushes first.</summary>
    public void Invalidate()
    {
        Flush();
        foreach (var t in _tables) t.Invalidate();
    }

    public void Dispose()
    {
        // After a failure elsewhere the import rolls back: the background writing must be done with the connection and the
        // statements first; its own failure, if any, matters no more than the one that got here.
        _writing?.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing).GetAwaiter().GetResult();
        _writing = null;
        foreach (var t in _tables) t.Dispose();
        // The connection goes back to the pool with its triggers on (what was not replayed rolls back with the transaction).
        _petitionTriggers?.Restore();
    }

    /// <summary>
    /// The petitions' insert triggers (Data/Migrations/Steps/PerfSteps: the change counter moved once per row, the row's
    /// full-text entry) cost a warm import's write a sixth of its SQLite work: every multi-row INSERT opened a statement
    /// transaction in which FTS5 flushed its pending terms as a new segment, merged again and again (issue 12 goal 8,
    /// bench/README.md import.sh). While the import writes its rows the connection's triggers are off
    /// (SQLITE_DBCONFIG_ENABLE_TRIGGER, this connection only, read when a statement is prepared); before anything else writes
    /// petitions, and at the end, their work is done for the rows written meanwhile in two statements — the full-text rows
    /// from the search index's own content view, the counter moved by the number of rows — so the index, the counter and
    /// the transaction's all-or-nothing are exactly what the triggers give (LedgerWritePassTests). Only when the tables the
    /// import writes carry no trigger but the petitions' six known ones: any other keeps every trigger on.
    /// </summary>
    private sealed class PetitionTriggers
    {
        private const int EnableTrigger = 1003; // SQLITE_DBCONFIG_ENABLE_TRIGGER
        private static readonly string[] Known = [.. new[] { "change", "search" }.SelectMany(k =>
            new[] { "insert", "update", "delete" }.Select(op => $"TR_Petitions_{k}_{op}"))];
        private readonly SqliteConnection _connection;
        private readonly SqliteTransaction _transaction;
        private readonly List<(long First, long Last)> _written = [];
        private bool _off;

        private PetitionTriggers(SqliteConnection connection, SqliteTransaction transaction) =>
            (_connection, _transaction) = (connection, transaction);

        public static PetitionTriggers? IfOnlyKnown(SqliteConnection connection, SqliteTransaction transaction, IEnumerable<string> tables)
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger'";
            var written = tables.ToHashSet(StringComparer.OrdinalIgnoreCase);
            var triggers = new List<string>();
            using (var reader = command.ExecuteReader())
                while (reader.Read())
                    if (written.Contains(reader.GetString(1))) triggers.Add(reader.GetString(0));
            return triggers.Order(StringComparer.Ordinal).SequenceEqual(Known.Order(StringComparer.Ordinal))
                ? new PetitionTriggers(connection, transaction) : null;
        }

        /// <summary>A petition's row written with the triggers off (keys ascend: kept as ranges).</summary>
        public void Written(long id)
        {
            if (_written.Count > 0 && _written[^1].Last + 1 == id) _written[^1] = (_written[^1].First, id);
            else _written.Add((id, id));
        }

        public void Off()
        {
            if (_off) return;
            Set(false);
            _off = true;
        }

        /// <summary>The triggers' work for the rows written since they went off, then the triggers on again.</summary>
        public void On()
        {
            if (_written.Count > 0)
            {
                long rows = 0;
                foreach (var (first, last) in _written)
                {
                    Execute(string.Create(CultureInfo.InvariantCulture,
                        $"INSERT INTO \"{PerfSteps.SqliteSearchTable}\" (rowid, \"CaseNumber\", \"PetitionerNames\", \"Demand\") " +
                        $"SELECT \"Id\", \"CaseNumber\", \"PetitionerNames\", \"Demand\" FROM \"{PerfSteps.SqliteSearchSource}\" " +
                        $"WHERE \"Id\" BETWEEN {first} AND {last}"));
                    rows += last - first + 1;
                }
                Execute(string.Create(CultureInfo.InvariantCulture, $"UPDATE \"{PerfSteps.CounterTable}\" SET \"Value\" = \"Value\" + {rows} WHERE \"Id\" = 1"));
                _written.Clear();
            }
            Restore();
        }

        public void Restore()
        {
            if (!_off) return;
            Set(true);
            _off = false;
        }

        // Changing it expires the connection's prepared statements: each is prepared again on its next use, with or without
        // the triggers as the flag now says.
        private void Set(bool enabled)
        {
            var handle = _connection.Handle!;
            var rc = raw.sqlite3_db_config(handle, EnableTrigger, enabled ? 1 : 0, out _);
            if (rc != raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(rc, handle);
        }

        private void Execute(string sql)
        {
            using var command = _connection.CreateCommand();
            command.Transaction = _transaction;
            command.CommandText = sql;
            command.ExecuteNonQuery();
        }
    }

    private enum BoundKind : byte { Null, Integer, Real, Text }

    /// <summary>One value to bind: an integer, a real's bits, or where its UTF-8 text lies in the rows' text buffer.</summary>
    private readonly record struct BoundValue(BoundKind Kind, long Number, int Length = 0);

    private interface IRowTable : IDisposable
    {
        /// <summary>The table's name in the database ("" on the one-row-per-statement path).</summary>
        string Table { get; }

        void Flush();

        /// <summary>The held rows, taken out and to be written by the returned action (on any thread, done before this table's
        /// next Hand or Flush: their buffers are used again); null if none.</summary>
        Action? Hand();

        void Invalidate();
    }

    private sealed class RowTable<T> : IRowTable where T : class
    {
        private readonly ImportInserts _owner;
        private readonly BulkInsert<T>? _single;
        private readonly DbConnection _connection;
        private readonly DbTransaction _transaction;
        private readonly Column[] _columns;
        private readonly string _insertInto;
        private readonly string _nextKeySql = "";
        private readonly bool _generatedKey;
        private readonly Action<T, long>? _setKey;
        private readonly int _rowsPerStatement;
        private List<T> _pending = [];
        private readonly Dictionary<int, sqlite3_stmt> _statements = [];
        private readonly sqlite3 _handle = null!;
        private readonly ISqlGenerationHelper _sql;
        private long? _nextKey;
        private readonly bool _offTriggers;

        public string Table { get; } = "";

        private sealed record Column(Func<T, object?> Get, ValueConverter? Converter);

        private sealed record EncodedRows(int Rows, BoundValue[] Values, System.Buffers.ArrayBufferWriter<byte> Text);

        // The values and text of the batch being written (Encode's, reused: see there).
        private BoundValue[] _values = [];
        private readonly System.Buffers.ArrayBufferWriter<byte> _text = new();

        public RowTable(
            ImportInserts owner, AppDbContext db, DbConnection connection, DbTransaction transaction, int rowsPerInsert, bool generatedKey,
            bool offTriggers = false)
        {
            _owner = owner;
            _offTriggers = offTriggers;
            _connection = connection;
            _transaction = transaction;
            _generatedKey = generatedKey;
            _sql = db.GetService<ISqlGenerationHelper>();
            if (rowsPerInsert <= 1)
            {
                _single = BulkInsert<T>.Create(db, connection, transaction, generatedKey);
                _columns = [];
                _insertInto = "";
                return;
            }
            _handle = ((SqliteConnection)connection).Handle ?? throw new InvalidOperationException("The import's connection is not open.");
            var entityType = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.");
            var tableName = entityType.GetTableName() ?? throw new InvalidOperationException($"{typeof(T).Name} has no table.");
            Table = tableName;
            var table = StoreObjectIdentifier.Table(tableName, entityType.GetSchema());
            var columns = new List<Column>();
            var names = new List<string>();
            foreach (var property in entityType.GetProperties())
            {
                if (BulkInsert<T>.ComputedByDatabase(property)) continue;
                if (property.PropertyInfo is null)
                    throw new InvalidOperationException($"{typeof(T).Name}.{property.Name} is a shadow property; the import's inserts need CLR properties.");
                var mapping = property.GetRelationalTypeMapping();
                columns.Add(new Column(Getter(property.PropertyInfo), mapping.Converter));
                names.Add(_sql.DelimitIdentifier(property.GetColumnName(table)!));
            }
            _columns = [.. columns];
            var delimitedTable = _sql.DelimitIdentifier(tableName, entityType.GetSchema());
            _insertInto = $"INSERT INTO {delimitedTable} ({string.Join(", ", names)}) VALUES ";
            // SQLite allows 32,766 parameters per statement.
            _rowsPerStatement = Math.Max(1, Math.Min(rowsPerInsert, 32_766 / _columns.Length));
            if (generatedKey)
            {
                var key = entityType.FindPrimaryKey()!.Properties.Single();
                var keyColumn = _sql.DelimitIdentifier(key.GetColumnName(table)!);
                // AUTOINCREMENT's next key: one past the largest ever used (sqlite_sequence) or present.
                _nextKeySql = $"SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = '{tableName}'), 0), " +
                              $"coalesce((SELECT max({keyColumn}) FROM {delimitedTable}), 0)) + 1";
                _setKey = SetKey(key.PropertyInfo!);
            }
        }

        public void Add(T entity)
        {
            if (_single is not null)
            {
                if (_generatedKey) _single.InsertReturningKey(entity);
                else _single.Insert(entity);
                return;
            }
            if (_setKey is not null)
            {
                if (_nextKey is null)
                {
                    _owner.AwaitBackground(); // the query needs the connection
                    _nextKey = Convert.ToInt64(Scalar(_nextKeySql), CultureInfo.InvariantCulture);
                }
                _setKey(entity, _nextKey.Value);
                _nextKey++;
            }
            _pending.Add(entity);
        }

        public void Flush()
        {
            if (_pending.Count == 0) return;
            Write(Encode(_pending));
            _pending.Clear();
        }

        public Action? Hand()
        {
            if (_pending.Count == 0) return null;
            // Converted here, on the caller's thread: the writing thread only binds and steps (issue 12 goal 8: SQLite's side
            // is the write's longer half; the values' conversion — boxing, dates formatted, text to UTF-8 — was a tenth of it).
            var rows = Encode(_pending);
            _pending = new List<T>(_pending.Count);
            return () => Write(rows);
        }

        /// <summary>The rows' values as they are bound, exactly as Microsoft.Data.Sqlite binds them (its binder looks every
        /// parameter up by name, a linear scan per parameter: quadratic in a statement of many rows); text as UTF-8.</summary>
        private EncodedRows Encode(List<T> pending)
        {
            // One buffer per table, used again for each batch: the batch before is written by now (a batch's buffers are
            // large objects, which a short process's GC let pile up between its full collections: +15–20 MB of peak).
            if (_values.Length < pending.Count * _columns.Length) _values = new BoundValue[pending.Count * _columns.Length];
            var values = _values;
            var text = _text;
            text.ResetWrittenCount();
            var i = 0;
            foreach (var entity in pending)
                foreach (var c in _columns)
                {
                    var value = c.Get(entity);
                    if (value is not null && c.Converter is not null) value = c.Converter.ConvertToProvider(value);
                    values[i++] = value switch
                    {
                        null => default,
                        string s => Text(text, s),
                        int number => new BoundValue(BoundKind.Integer, number),
                        long number => new BoundValue(BoundKind.Integer, number),
                        bool flag => new BoundValue(BoundKind.Integer, flag ? 1 : 0),
                        double real when !double.IsNaN(real) => new BoundValue(BoundKind.Real, BitConverter.DoubleToInt64Bits(real)),
                        DateOnly date => Text(text, date, @"yyyy\-MM\-dd"),
                        DateTime time => Text(text, time, @"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFF"),
                        Enum e => new BoundValue(BoundKind.Integer, Convert.ToInt64(e, CultureInfo.InvariantCulture)),
                        _ => throw new NotSupportedException($"{typeof(T).Name}: a column of type {value.GetType().Name} is not bound by the import's inserts."),
                    };
                }
            return new EncodedRows(pending.Count, values, text);
        }

        private static BoundValue Text(System.Buffers.ArrayBufferWriter<byte> text, string value)
        {
            var offset = text.WrittenCount;
            var written = System.Text.Encoding.UTF8.GetBytes(value, text.GetSpan(System.Text.Encoding.UTF8.GetMaxByteCount(value.Length)));
            text.Advance(written);
            return new BoundValue(BoundKind.Text, offset, written);
        }

        private static BoundValue Text<TValue>(System.Buffers.ArrayBufferWriter<byte> text, TValue value, string format) where TValue : IUtf8SpanFormattable
        {
            var offset = text.WrittenCount;
            if (!value.TryFormat(text.GetSpan(64), out var written, format, CultureInfo.InvariantCulture))
                throw new InvalidOperationException($"{value} does not fit 64 bytes.");
            text.Advance(written);
            return new BoundValue(BoundKind.Text, offset, written);
        }

        private void Write(EncodedRows encoded)
        {
            if (_offTriggers) _owner._petitionTriggers?.Off();
            var text = encoded.Text.WrittenSpan;
            for (var from = 0; from < encoded.Rows;)
            {
                // Full statements, then the rest in statements of a power of two rows: a handful of prepared statements per
                // table, not one per remainder size (dozens of large statements were tens of MB), nor the remainder one row
                // at a time (each statement a statement transaction of its own: a batch of 1,000 petitions is 2 × 400 + 128 + 64 + 8).
                var left = encoded.Rows - from;
                var rows = left >= _rowsPerStatement ? _rowsPerStatement : 1 << System.Numerics.BitOperations.Log2((uint)left);
                var statement = Statement(rows);
                var values = encoded.Values.AsSpan(from * _columns.Length, rows * _columns.Length);
                for (var index = 0; index < values.Length; index++)
                {
                    var v = values[index];
                    var rc = v.Kind switch
                    {
                        BoundKind.Null => raw.sqlite3_bind_null(statement, index + 1),
                        BoundKind.Integer => raw.sqlite3_bind_int64(statement, index + 1, v.Number),
                        BoundKind.Real => raw.sqlite3_bind_double(statement, index + 1, BitConverter.Int64BitsToDouble(v.Number)),
                        // An empty span would be bound as NULL (no pointer): '' as Microsoft.Data.Sqlite binds it.
                        _ when v.Length == 0 => raw.sqlite3_bind_text(statement, index + 1, ""),
                        _ => raw.sqlite3_bind_text(statement, index + 1, text.Slice((int)v.Number, v.Length)),
                    };
                    if (rc != raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(rc, _handle);
                }
                var step = raw.sqlite3_step(statement);
                raw.sqlite3_reset(statement);
                if (step != raw.SQLITE_DONE) SqliteException.ThrowExceptionForRC(step, _handle);
                from += rows;
            }
        }

        public void Invalidate() => _nextKey = null;

        /// <summary>The prepared statement for <paramref name="rows"/> rows (the full size or one), kept for the import.</summary>
        private sqlite3_stmt Statement(int rows)
        {
            if (_statements.TryGetValue(rows, out var known)) return known;
            var text = new System.Text.StringBuilder(_insertInto);
            for (var r = 0; r < rows; r++)
            {
                text.Append(r == 0 ? "(" : ", (");
                for (var c = 0; c < _columns.Length; c++) text.Append(c == 0 ? "?" : ", ?");
                text.Append(')');
            }
            var rc = raw.sqlite3_prepare_v2(_handle, text.ToString(), out var statement);
            if (rc != raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(rc, _handle);
            return _statements[rows] = statement;
        }

        private object? Scalar(string sql)
        {
            using var command = _connection.CreateCommand();
            command.Transaction = _transaction;
            command.CommandText = sql;
            return command.ExecuteScalar();
        }

        public void Dispose()
        {
            _single?.Dispose();
            foreach (var statement in _statements.Values) statement.Dispose();
        }

        private static Func<T, object?> Getter(System.Reflection.PropertyInfo property)
        {
            var entity = Expression.Parameter(typeof(T), "e");
            return Expression.Lambda<Func<T, object?>>(Expression.Convert(Expression.Property(entity, property), typeof(object)), entity).Compile();
        }

        private static Action<T, long> SetKey(System.Reflection.PropertyInfo property)
        {
            var entity = Expression.Parameter(typeof(T), "e");
            var value = Expression.Parameter(typeof(long), "v");
            var converted = Expression.ConvertChecked(value, property.PropertyType); // an int key past int's range throws, as EF would
            return Expression.Lambda<Action<T, long>>(Expression.Assign(Expression.Property(entity, property), converted), entity, value).Compile();
        }
    }
}
