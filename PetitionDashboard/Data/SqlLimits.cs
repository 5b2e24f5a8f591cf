namespace PetitionDashboard.Data;

/// <summary>Limits every provider shares, so a statement that works on SQLite also works on SQL Server and PostgreSQL.</summary>
public static class SqlLimits
{
    /// <summary>
    /// Keys per <c>IN (…)</c> list or per batch of changed rows: EF sends each key as a parameter, and SQL Server refuses
    /// a statement with more than 2,100; 500 stays well under it with room for the query's other parameters.
    /// </summary>
    public const int KeysPerStatement = 500;
}
