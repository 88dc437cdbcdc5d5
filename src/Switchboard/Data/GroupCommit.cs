using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;

namespace Switchboard.Data;

/// <summary>
/// Group commit for the hot write paths on SQLite (a chat message send). SQLite has one writer at
/// a time and, with <c>synchronous=FULL</c>, every commit waits for the disk; many requests each
/// committing their own transaction queue on the write lock, and Microsoft.Data.Sqlite answers a
/// busy lock by sleeping 150 ms before it tries again, which is where the embedded default's
/// latency spikes came from. Here the writes go to one writer that stages every queued write in
/// one transaction (each in its own savepoint, so one failing write does not undo the others),
/// commits once, and only then completes each caller: nothing is acknowledged before it is durable.
/// On PostgreSQL, which folds concurrent commits into one disk flush by itself, a write is saved on
/// the caller's own context as before.
/// </summary>
public sealed class GroupCommit(IServiceScopeFactory scopes, ILogger<GroupCommit> logger) : IDisposable
{
    /// <summary>Writes staged in one transaction at most; the queue's rest waits for the next one.</summary>
    public const int MaxBatch = 256;

    private readonly Channel<Write> _queue = Channel.CreateUnbounded<Write>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _startLock = new();
    private Task? _writer;
    private long _commits;
    private long _writes;

    /// <summary>Transactions the writer committed (diagnostics and tests).</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>Writes the writer committed.</summary>
    public long Writes => Interlocked.Read(ref _writes);

    /// <summary>
    /// Stages the changes (<paramref name="stage"/> adds or attaches entities to the context it is
    /// given) and saves them; completes once they are committed, or throws what SaveChanges threw
    /// for them (a <see cref="DbUpdateException"/> for a unique index, for instance).
    /// </summary>
    public Task SaveAsync(AppDbContext db, Action<AppDbContext> stage, CancellationToken ct = default)
    {
        // PostgreSQL, or a caller inside its own transaction (it already holds the write lock).
        if (db.IsPostgres || db.Database.CurrentTransaction is not null)
        {
            stage(db);
            return db.SaveChangesAsync(ct);
        }
        ct.ThrowIfCancellationRequested();
        // Once queued, the write is not cancelled: it may already be in the open transaction, and a
        // caller that gave up must not be told "not stored" about a message that was.
        var write = new Write(stage);
        ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite(write), this);
        EnsureWriter();
        return write.Done.Task;
    }

    private void EnsureWriter()
    {
        if (_writer is not null)
        {
            return;
        }
        lock (_startLock)
        {
            _writer ??= Task.Run(WriteLoopAsync);
        }
    }

    private async Task WriteLoopAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<Write>(MaxBatch);
        // Ends when the queue is completed (at shutdown) and drained.
        while (await reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && reader.TryRead(out var write))
            {
                batch.Add(write);
            }
            await CommitAsync(batch);
        }
    }

    private async Task CommitAsync(List<Write> batch)
    {
        var staged = new List<Write>(batch.Count);
        // A refused write learns so only after the batch is committed: its caller may look for the
        // write that won (the same client_id a moment earlier, maybe in this very batch).
        var refused = new List<(Write Write, Exception Error)>();
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None);
            foreach (var write in batch)
            {
                try
                {
                    write.Stage(db);
                    // Inside a transaction SaveChanges sets a savepoint first and rolls back to it
                    // if it fails: only this write is undone.
                    await db.SaveChangesAsync(CancellationToken.None);
                    staged.Add(write);
                }
                catch (Exception e)
                {
                    refused.Add((write, e));
                }
                finally
                {
                    db.ChangeTracker.Clear();
                }
            }
            if (staged.Count > 0)
            {
                await transaction.CommitAsync(CancellationToken.None);
                Interlocked.Increment(ref _commits);
                Interlocked.Add(ref _writes, staged.Count);
            }
        }
        catch (Exception e)
        {
            logger.LogError(e, "A group commit of {Count} writes failed.", staged.Count);
            foreach (var write in batch)
            {
                write.Done.TrySetException(e);
            }
            return;
        }
        foreach (var write in staged)
        {
            write.Done.TrySetResult();
        }
        foreach (var (write, error) in refused)
        {
            write.Done.TrySetException(error);
        }
    }

    public void Dispose() => _queue.Writer.TryComplete();

    private sealed class Write(Action<AppDbContext> stage)
    {
        public Action<AppDbContext> Stage { get; } = stage;
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
