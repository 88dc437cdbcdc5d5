using System.Reflection;
using Microsoft.AspNetCore.Identity;
using Switchboard.Features.Users;

namespace Switchboard.Features.Auth;

/// <summary>Password hashing (ASP.NET Core Identity's PBKDF2 hasher) and the password rules.</summary>
public sealed class Passwords
{
    public const int MinLength = 8;
    // Long enough for any passphrase or generated password, short enough that hashing stays cheap.
    public const int MaxLength = 1024;

    private readonly PasswordHasher<User> _hasher = new();
    private readonly Lazy<HashSet<string>> _common = new(LoadCommon);
    // Verifying against this keeps a failed login for an unknown user as slow as one for a known user.
    private readonly Lazy<string> _dummyHash;

    public Passwords() => _dummyHash = new(() => _hasher.HashPassword(null!, Guid.NewGuid().ToString()));

    public string Hash(User user, string password) => _hasher.HashPassword(user, password);

    public bool Verify(User? user, string password)
    {
        if (user is null)
        {
            _hasher.VerifyHashedPassword(null!, _dummyHash.Value, password);
            return false;
        }
        return _hasher.VerifyHashedPassword(user, user.PasswordHash, password) != PasswordVerificationResult.Failed;
    }

    /// <summary>Returns the problems with a new password; empty when it is acceptable.</summary>
    public IEnumerable<string> Check(string password, string? username)
    {
        if (password.Length < MinLength)
        {
            yield return $"This password is too short. It must contain at least {MinLength} characters.";
        }
        if (password.Length > MaxLength)
        {
            yield return $"This password is too long. It must contain at most {MaxLength} characters.";
        }
        if (password.All(char.IsAsciiDigit))
        {
            yield return "This password is entirely numeric.";
        }
        if (_common.Value.Contains(password.ToLowerInvariant()))
        {
            yield return "This password is too common.";
        }
        if (username is not null && password.Equals(username, StringComparison.OrdinalIgnoreCase))
        {
            yield return "The password is too similar to the username.";
        }
    }

    private static HashSet<string> LoadCommon()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Switchboard.common-passwords.txt")
            ?? throw new InvalidOperationException("The common password list is not embedded.");
        using var reader = new StreamReader(stream);
        var set = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0)
            {
                set.Add(line.Trim().ToLowerInvariant());
            }
        }
        return set;
    }
}
