namespace PetitionDashboard.Data;

/// <summary>
/// A file prepared for one user (a report, an import's error list), kept in the database so any node can serve it;
/// its bytes are in <see cref="PreparedFileChunk"/>s, so neither writing nor serving it holds the whole file in memory.
/// </summary>
public class PreparedFile
{
    public Guid Id { get; set; }
    public string Owner { get; set; } = "";
    public string Kind { get; set; } = "";
    public string Key { get; set; } = "";
    public string DownloadName { get; set; } = "";
    public long Length { get; set; }
    public DateTime CreatedUtc { get; set; }
    /// <summary>Kept for good (a 通报 or 督办单 in the reports history): never swept, served to every user the endpoint allows.</summary>
    public bool Kept { get; set; }
    /// <summary>
    /// Set when the file echoes personal data (an import's error list quotes the ledger's 身份证号 and phones): every chunk is
    /// sealed under this key of the personal-data key ring (AES-256-GCM, bound to its file and index). Null: stored as is.
    /// </summary>
    public string? KeyId { get; set; }
}

/// <summary>One piece (at most <c>PreparedDownloads.ChunkSize</c> bytes) of a prepared file, in order of <see cref="Index"/>.</summary>
public class PreparedFileChunk
{
    public Guid FileId { get; set; }
    public int Index { get; set; }
    public byte[] Bytes { get; set; } = [];
}
