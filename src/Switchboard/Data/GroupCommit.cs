using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Switchboard.Infrastructure;

namespace Switchboard.Data;

/// <summary>
/// Group commit for chat sends on SQLite (docs/decisions/1002-sqlite-group-commit.md). SQLite has
/// one writer, and with <c>synchronous=FULL</c> every commit waits for the disk, so one commit per
/// send caps the embedded default at a few hundred sends a second. Here one writer takes every send
/// queued at that moment, runs each send's whole stage (the message and everything it causes) on
/// its own context inside one transaction, each between a savepoint and its release, commits once,
/// and only then completes the callers: nothing is acknowledged before it is on disk, and a refused
/// send is undone alone. PostgreSQL folds concurrent commits into one WAL flush by itself, so there
/// (and for a caller already inside its own transaction) a stage runs on the caller's context.
/// </summary>
public sealed class GroupCommit(IServiceScopeFactory scopes, IConfiguration configuration, ILogger<GroupCommit> logger) : IDisposable
{
    /// <summary>Sends staged in one transaction at most; the rest of the queue waits for the next.</summary>
    public const int MaxBatch = 128;

    private const string Savepoint = "send";

    private readonly bool _enabled = configuration.GetValue("Database:GroupCommit", true);
    private readonly Channel<Stage> _queue = Channel.CreateUnbounded<Stage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _startLock = new();
    private Task? _writer;
    private long _commits;
    private long _sends;
    private int _queued;

    /// <summary>Transactions the writer committed (diagnostics and tests).</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>Sends those transactions held.</summary>
    public long Sends => Interlocked.Read(ref _sends);

    /// <summary>Sends waiting for the writer's next transaction.</summary>
    public int Queued => Volatile.Read(ref _queued);

    /// <summary>
    /// Runs <paramref name="stage"/> in a transaction and completes once it is committed. The stage
    /// must write only through the context it is given (it may not be <paramref name="db"/>). If the
    /// stage throws, what it wrote is undone and the same exception reaches the caller; on SQLite
    /// that happens only once the batch it was in is committed, so a caller that looks for the
    /// write that beat it (the same <c>client_id</c>, maybe in the same batch) finds it.
    /// </summary>
    public async Task RunAsync(AppDbContext db, Func<AppDbContext, CancellationToken, Task> stage, CancellationToken ct)
    {
        if (db.Database.CurrentTransaction is not null)
        {
            // The caller's transaction holds the write lock already; it commits this with its own work.
            await stage(db, ct);
            return;
        }
        if (db.IsPostgres || !_enabled)
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await stage(db, ct);
            await tx.CommitAsync(ct);
            return;
        }
        ct.ThrowIfCancellationRequested();
        // Once queued, a send is not cancelled: it may already be in the open transaction, and a
        // caller that gave up must not be told "not stored" about a message that was.
        var queued = new Stage(stage);
        Interlocked.Increment(ref _queued);
        if (!_queue.Writer.TryWrite(queued))
        {
            Interlocked.Decrement(ref _queued);
            throw new ObjectDisposedException(nameof(GroupCommit));
        }
        EnsureWriter();
        await queued.Done.Task;
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
        var batch = new List<Stage>(MaxBatch);
        // Ends when the queue is completed (at shutdown) and drained.
        while (await reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && reader.TryRead(out var stage))
            {
                batch.Add(stage);
                Interlocked.Decrement(ref _queued);
            }
            await CommitAsync(batch);
        }
    }

    private async Task CommitAsync(List<Stage> batch)
    {
        var staged = new List<Stage>(batch.Count);
        var refused = new List<(Stage Stage, Exception Error)>();
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            await using var tx = await db.Database.BeginTransactionAsync(CancellationToken.None);
            foreach (var stage in batch)
            {
                await tx.CreateSavepointAsync(Savepoint, CancellationToken.None);
                try
                {
                    await stage.Run(db, CancellationToken.None);
                    await tx.ReleaseSavepointAsync(Savepoint, CancellationToken.None);
                    staged.Add(stage);
                }
                catch (Exception e)
                {
                    // Only this send is undone; if even that fails the transaction is lost, and the
                    // outer catch fails the whole batch.
                    await tx.RollbackToSavepointAsync(Savepoint, CancellationToken.None);
                    await tx.ReleaseSavepointAsync(Savepoint, CancellationToken.None);
                    refused.Add((stage, e));
                }
                finally
                {
                    // A refused stage's entities must not be saved by the next one, and a staged one's
                    // need not be tracked any longer: each stage starts from an empty tracker.
                    db.ChangeTracker.Clear();
                }
            }
            if (staged.Count > 0)
            {
                await tx.CommitAsync(CancellationToken.None);
                Interlocked.Increment(ref _commits);
                Interlocked.Add(ref _sends, staged.Count);
                SwitchboardMetrics.GroupCommits.Add(1);
                SwitchboardMetrics.GroupCommitSends.Add(staged.Count);
            }
        }
        catch (Exception e)
        {
            // Each caller gets the exception, and the request that sees it logs it as any failed write.
            logger.LogWarning(e, "A group commit of {Count} sends failed.", batch.Count);
            foreach (var stage in batch)
            {
                stage.Done.TrySetException(e);
            }
            return;
        }
        foreach (var stage in staged)
        {
            stage.Done.TrySetResult();
        }
        foreach (var (stage, error) in refused)
        {
            stage.Done.TrySetException(error);
        }
    }

    public void Dispose() => _queue.Writer.TryComplete();

    private sealed class Stage(Func<AppDbContext, CancellationToken, Task> run)
    {
        public Func<AppDbContext, CancellationToken, Task> Run { get; } = run;
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
