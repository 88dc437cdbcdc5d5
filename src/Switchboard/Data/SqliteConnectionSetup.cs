using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Switchboard.Data;

/// <summary>
/// Settings every SQLite connection gets once (pooled connections keep them):
/// <list type="bullet">
/// <item><c>busy_timeout</c>: a connection that finds the write lock taken waits in SQLite itself,
/// in steps of a few milliseconds, for up to 5 s. Without it Microsoft.Data.Sqlite sleeps 150 ms
/// between attempts, and every collision between two writers cost a send 150 ms or more.</item>
/// <item><c>synchronous=FULL</c>: a commit returns once it is on disk (the WAL is synced), so what
/// the server acknowledges survives a power cut.</item>
/// </list>
/// </summary>
public sealed class SqliteConnectionSetup : DbConnectionInterceptor
{
    public const int BusyTimeoutMilliseconds = 5000;
    private const string Pragmas = "PRAGMA busy_timeout = 5000; PRAGMA synchronous = FULL;";

    // Keyed by the native handle, which the pool reuses across SqliteConnection objects.
    private readonly ConditionalWeakTable<object, object> _configured = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Configure(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Configure(connection);
        return Task.CompletedTask;
    }

    private void Configure(DbConnection connection)
    {
        if (connection is not SqliteConnection sqlite || sqlite.Handle is not { } handle || _configured.TryGetValue(handle, out _))
        {
            return;
        }
        using var command = sqlite.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
        _configured.AddOrUpdate(handle, handle);
    }
}
