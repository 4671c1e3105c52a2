namespace RulesBilling.Engine.Tests.Storage;

/// <summary>
/// A machine-wide lock for test set-up that must not run twice at once (apt-get, npm install): the test projects run in
/// parallel processes. Linked into the Host tests too.
/// </summary>
internal static class MachineLock
{
    /// <summary>An exclusive lock on a file in the temp folder, held until disposed; waits while another process holds it.</summary>
    public static FileStream Take(string name)
    {
        var path = Path.Combine(Path.GetTempPath(), name + ".lock");
        while (true)
        {
            try
            {
                // FileShare.None takes an exclusive advisory lock (flock) on Unix: a second process gets an IOException.
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                Thread.Sleep(250);
            }
        }
    }
}
