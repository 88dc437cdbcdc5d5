using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Switchboard.Infrastructure.Storage;

/// <summary>
/// Where uploaded files live. Names are generated here and never come from a client. The default
/// keeps files on local disk under DataDir; a shared store (S3-compatible, PostgreSQL large objects)
/// for several instances is another implementation of this interface (docs/decisions).
/// </summary>
public interface IFileStorage
{
    /// <summary>Stores the stream under a new unguessable name, refusing more than <paramref name="maxBytes"/>.</summary>
    /// <exception cref="FileTooLargeException">the stream is longer than the limit; nothing is kept.</exception>
    Task<StoredFile> SaveAsync(Stream content, long maxBytes, CancellationToken ct);

    /// <summary>Opens a stored file for reading, or null when it does not exist.</summary>
    Task<Stream?> OpenReadAsync(string storageKey, CancellationToken ct);

    Task DeleteAsync(string storageKey, CancellationToken ct);
}

/// <param name="StorageKey">The generated name to find the file again.</param>
/// <param name="Length">Bytes written.</param>
/// <param name="Head">The first bytes, for checking what the file really is.</param>
public sealed record StoredFile(string StorageKey, long Length, byte[] Head);

public sealed class FileTooLargeException(long limit) : Exception($"The file is larger than {limit} bytes.")
{
    public long Limit { get; } = limit;
}

public sealed class LocalFileStorage(IOptions<SwitchboardOptions> options) : IFileStorage
{
    private const int HeadLength = 64;
    private readonly string _root = Path.Combine(options.Value.ResolveDataDir(), "uploads");

    public async Task<StoredFile> SaveAsync(Stream content, long maxBytes, CancellationToken ct)
    {
        // 128 random bits, hex: safe on every file system and impossible to guess.
        var key = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
        var path = PathFor(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var head = new byte[HeadLength];
        var headLength = 0;
        long total = 0;
        try
        {
            await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true);
            var buffer = new byte[81920];
            int read;
            while ((read = await content.ReadAsync(buffer, ct)) > 0)
            {
                total += read;
                if (total > maxBytes)
                {
                    throw new FileTooLargeException(maxBytes);
                }
                if (headLength < HeadLength)
                {
                    var take = Math.Min(HeadLength - headLength, read);
                    Array.Copy(buffer, 0, head, headLength, take);
                    headLength += take;
                }
                await file.WriteAsync(buffer.AsMemory(0, read), ct);
            }
        }
        catch
        {
            File.Delete(path);
            throw;
        }
        return new StoredFile(key, total, head[..headLength]);
    }

    public Task<Stream?> OpenReadAsync(string storageKey, CancellationToken ct)
    {
        var path = PathFor(storageKey);
        Stream? stream = File.Exists(path)
            ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true)
            : null;
        return Task.FromResult(stream);
    }

    public Task DeleteAsync(string storageKey, CancellationToken ct)
    {
        var path = PathFor(storageKey);
        if (File.Exists(path))
        {
            File.Delete(path);
        }
        return Task.CompletedTask;
    }

    private string PathFor(string key)
    {
        if (key.Length < 4 || !key.All(char.IsAsciiHexDigitLower))
        {
            throw new ArgumentException("Not a storage key.", nameof(key));
        }
        // Two levels of fan-out keep directories small.
        return Path.Combine(_root, key[..2], key);
    }
}
