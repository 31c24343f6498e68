using System.IO;
using System.Linq;
using System.Text;
using IrisOps.Core.Errors;
using IrisOps.Core.FileSystem;
using Xunit;

namespace IrisOps.Tests.FileSystem
{
    public class FileTransactionTests
    {
        private static byte[] Text(string s) => Encoding.UTF8.GetBytes(s);

        [Fact]
        public void Nothing_is_visible_until_commit_and_disposing_uncommitted_removes_the_staging()
        {
            using var folder = new TempFolder();
            using (var transaction = new FileTransaction())
            {
                transaction.Add(folder.Combine("a.txt"), Text("a"), ownerOnly: false);
                Assert.False(File.Exists(folder.Combine("a.txt")));
            }

            Assert.Empty(Directory.GetFiles(folder.Path));
        }

        [Fact]
        public void A_failed_commit_puts_back_every_file_it_replaced()
        {
            using var folder = new TempFolder();
            File.WriteAllText(folder.Combine("1.txt"), "old 1");
            File.WriteAllText(folder.Combine("2.txt"), "old 2");
            using (var transaction = new FileTransaction { Overwrite = true })
            {
                transaction.Add(folder.Combine("1.txt"), Text("new 1"), ownerOnly: false);
                transaction.Add(folder.Combine("2.txt"), Text("new 2"), ownerOnly: false);
                transaction.Add(folder.Combine("3.txt"), Text("3"), ownerOnly: false);
                Directory.CreateDirectory(folder.Combine("3.txt")); // a folder where the last file should go makes its move fail
                Assert.ThrowsAny<IOException>(() => transaction.Commit());
            }

            Assert.Equal("old 1", File.ReadAllText(folder.Combine("1.txt")));
            Assert.Equal("old 2", File.ReadAllText(folder.Combine("2.txt")));
            Assert.Equal(new[] { folder.Combine("1.txt"), folder.Combine("2.txt") }, Directory.GetFiles(folder.Path).OrderBy(f => f));
        }

        [Fact]
        public void Without_overwrite_a_file_that_appeared_meanwhile_aborts_the_whole_commit()
        {
            using var folder = new TempFolder();
            using (var transaction = new FileTransaction())
            {
                transaction.Add(folder.Combine("a.txt"), Text("a"), ownerOnly: false);
                transaction.Add(folder.Combine("b.txt"), Text("b"), ownerOnly: false);
                File.WriteAllText(folder.Combine("b.txt"), "someone else's");
                var error = Assert.Throws<IrisOpsException>(() => transaction.Commit());
                Assert.Equal(IrisErrorKind.ResourceExists, error.Kind);
            }

            Assert.False(File.Exists(folder.Combine("a.txt")));
            Assert.Equal("someone else's", File.ReadAllText(folder.Combine("b.txt")));
            Assert.Single(Directory.GetFiles(folder.Path));
        }
    }
}
