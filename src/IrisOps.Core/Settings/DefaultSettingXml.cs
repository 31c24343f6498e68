using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Xml;
using IrisOps.Core.Errors;
using IrisOps.Core.FileSystem;

namespace IrisOps.Core.Settings
{
    /// <summary>
    /// The XML that Ens.Config.DefaultSettings %Export writes and %Import reads (Ens.Config.DefaultSettings, InterSystems class reference):
    /// &lt;defaultSettings&gt;&lt;item production=".." item=".." class=".." setting=".." value=".." description=".."&gt;&lt;Deployable&gt;true&lt;/Deployable&gt;&lt;/item&gt;&lt;/defaultSettings&gt;.
    /// Attribute values are escaped so they come back exactly: &amp; &lt; &gt; " as entities, and tab, line
    /// feed and carriage return as character references (a parser would turn them into spaces otherwise).
    /// Characters XML 1.0 cannot carry at all (NUL and most other control characters) are refused before
    /// anything is written. The reader also takes the files $system.OBJ.Export writes, where the same items sit
    /// in &lt;Export&gt;&lt;Document name="Ens.Config.DefaultSettings.ESD"&gt;: like %Import, it takes the
    /// &lt;item&gt; elements wherever they are. A missing description attribute is an empty description, as
    /// %Import stores it; the writer therefore always writes the attribute.
    /// </summary>
    public static class DefaultSettingXml
    {
        public const string InvalidXmlId = "InvalidDefaultSettingsXml";
        private static readonly UTF8Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

        public static string Write(IReadOnlyList<DefaultSetting> rows)
        {
            DefaultSettingValidator.ValidateForXml(rows);
            var xml = new StringBuilder();
            xml.Append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<defaultSettings>\n");
            foreach (DefaultSetting row in rows)
            {
                xml.Append("  <item");
                Attribute(xml, "production", row.ProductionName);
                Attribute(xml, "item", row.ItemName);
                Attribute(xml, "class", row.HostClassName);
                Attribute(xml, "setting", row.SettingName);
                Attribute(xml, "value", row.SettingValue);
                Attribute(xml, "description", row.Description ?? string.Empty);

                xml.Append("><Deployable>").Append(row.Deployable == true ? "true" : "false").Append("</Deployable></item>\n");
            }

            xml.Append("</defaultSettings>\n");
            return xml.ToString();
        }

        /// <summary>Writes the file all at once (UTF-8, no byte order mark): a failure leaves any previous file as it was.</summary>
        public static void WriteFile(IReadOnlyList<DefaultSetting> rows, string path, bool force)
        {
            string text = Write(rows);
            CheckTarget(path, force);
            using (var transaction = new FileTransaction { Overwrite = force })
            {
                transaction.Add(path, Utf8.GetBytes(text), ownerOnly: false);
                transaction.Commit();
            }
        }

        /// <summary>Checks before -WhatIf that the file can be written: not a folder, its folder exists, and the overwrite rule.</summary>
        public static void CheckTarget(string path, bool force)
        {
            if (Directory.Exists(path))
            {
                throw new IrisOpsException(IrisErrorKind.InvalidArgument, "ExportPathIsFolder", $"'{path}' is a folder; give the path of the XML file to write.", path);
            }

            string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
            if (folder != null && !Directory.Exists(folder))
            {
                throw new IrisOpsException(IrisErrorKind.ObjectNotFound, "ExportFolderNotFound", $"The folder '{folder}' does not exist; create it first.", path);
            }

            ExistingFileRule.Check(path, force, "ExportPath");
        }

        // The line of the document type declaration the reader refused (its own message would give .NET programming
        // advice), or 0 when the document has none. A declaration may only stand before the root element, and a
        // prohibited one is the first thing the reader fails on, so the start of the document tells.
        private static int DocumentTypeLine(Stream stream)
        {
            if (!stream.CanSeek)
            {
                return 0;
            }

            stream.Position = 0;
            var buffer = new char[64 * 1024];
            int read = new StreamReader(stream, Utf8, detectEncodingFromByteOrderMarks: true, bufferSize: 4096, leaveOpen: true).ReadBlock(buffer, 0, buffer.Length);
            string start = new string(buffer, 0, read);
            int at = start.IndexOf("<!DOCTYPE", StringComparison.Ordinal);
            if (at < 0)
            {
                return 0;
            }

            int line = 1;
            for (int i = 0; i < at; i++)
            {
                line += start[i] == '\n' ? 1 : 0;
            }

            return line;
        }

        private static void Attribute(StringBuilder xml, string name, string value) =>
            xml.Append(' ').Append(name).Append("=\"").Append(EscapeAttribute(value)).Append('"');

        /// <summary>The escaped form of an attribute value, without the quotes.</summary>
        public static string EscapeAttribute(string value)
        {
            var text = new StringBuilder(value.Length + 16);
            foreach (char ch in value)
            {
                switch (ch)
                {
                    case '&': text.Append("&amp;"); break;
                    case '<': text.Append("&lt;"); break;
                    case '>': text.Append("&gt;"); break;
                    case '"': text.Append("&quot;"); break;
                    case '\t': text.Append("&#9;"); break;
                    case '\n': text.Append("&#10;"); break;
                    case '\r': text.Append("&#13;"); break;
                    default: text.Append(ch); break;
                }
            }

            return text.ToString();
        }

        public static IList<DefaultSetting> ReadFile(string path)
        {
            if (Directory.Exists(path))
            {
                throw new IrisOpsException(IrisErrorKind.InvalidArgument, "SettingsPathIsFolder", $"'{path}' is a folder; give the path of a default settings export (an XML file).", path);
            }

            if (!File.Exists(path))
            {
                throw new IrisOpsException(IrisErrorKind.ObjectNotFound, "SettingsFileNotFound", $"'{path}' does not exist.", path);
            }

            try
            {
                using (var stream = File.OpenRead(path))
                {
                    return Read(stream, path);
                }
            }
            catch (UnauthorizedAccessException ex)
            {
                throw new IrisOpsException(IrisErrorKind.PermissionDenied, "SettingsFileNotReadable", $"Cannot read '{path}': access is denied.", path, ex);
            }
            catch (IOException ex)
            {
                throw new IrisOpsException(IrisErrorKind.ResourceUnavailable, "SettingsFileNotReadable", $"Cannot read '{path}': {ex.Message}", path, ex);
            }
        }

        public static IList<DefaultSetting> Read(string xml, string sourceName)
        {
            using (var stream = new MemoryStream(Utf8.GetBytes(xml)))
            {
                return Read(stream, sourceName);
            }
        }

        /// <summary>Reads the export format; anything else (an unknown attribute or element, text, a DTD) is an error naming the line.</summary>
        public static IList<DefaultSetting> Read(Stream stream, string sourceName)
        {
            var settings = new XmlReaderSettings
            {
                DtdProcessing = DtdProcessing.Prohibit,
                XmlResolver = null,
                IgnoreComments = true,
                IgnoreProcessingInstructions = true,
                IgnoreWhitespace = true,
                CheckCharacters = true,
            };
            var rows = new List<DefaultSetting>();
            XmlReader? reader = null;
            try
            {
                reader = XmlReader.Create(stream, settings);
                var lineInfo = (IXmlLineInfo)reader;
                reader.MoveToContent();
                if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "Export")
                {
                    ReadExport(reader, lineInfo, sourceName, rows);
                    return rows;
                }

                if (reader.NodeType != XmlNodeType.Element || reader.LocalName != "defaultSettings")
                {
                    throw Invalid(sourceName, lineInfo, $"the root element is <{reader.LocalName}>; a default settings export starts with <defaultSettings>, or <Export> when $system.OBJ.Export wrote it");
                }

                ReadDefaultSettings(reader, lineInfo, sourceName, rows);
            }
            catch (XmlException ex) when (DocumentTypeLine(stream) > 0)
            {
                throw new IrisOpsException(IrisErrorKind.InvalidData, InvalidXmlId,
                    $"{sourceName} line {DocumentTypeLine(stream)} declares a document type (<!DOCTYPE ...>). A default settings export has none, and IrisOps does not read document types, which can pull in other files or expand entities: remove that declaration.", sourceName, ex);
            }
            catch (XmlException ex)
            {
                throw new IrisOpsException(IrisErrorKind.InvalidData, InvalidXmlId, $"{sourceName} is not a valid default settings export: {ex.Message}", sourceName, ex);
            }
            finally
            {
                reader?.Dispose();
            }

            return rows;
        }

        /// <summary>The children of a &lt;defaultSettings&gt; element: &lt;item&gt; only.</summary>
        private static void ReadDefaultSettings(XmlReader reader, IXmlLineInfo lineInfo, string sourceName, List<DefaultSetting> rows)
        {
            if (reader.IsEmptyElement)
            {
                reader.Read();
                return;
            }

            reader.Read();
            while (!(reader.NodeType == XmlNodeType.EndElement && reader.LocalName == "defaultSettings"))
            {
                if (reader.NodeType != XmlNodeType.Element || reader.LocalName != "item")
                {
                    throw Invalid(sourceName, lineInfo, $"found {Describe(reader)} where <item> was expected");
                }

                rows.Add(ReadItem(reader, lineInfo, sourceName, rows.Count + 1));
            }

            reader.Read();
        }

        /// <summary>
        /// An &lt;Export&gt; file may hold classes, routines and lookup tables besides the default settings
        /// document; like %Import, take every &lt;item&gt; (read as strictly as in a plain export) and skip the rest.
        /// </summary>
        private static void ReadExport(XmlReader reader, IXmlLineInfo lineInfo, string sourceName, List<DefaultSetting> rows)
        {
            reader.Read();
            while (!reader.EOF)
            {
                if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "item")
                {
                    rows.Add(ReadItem(reader, lineInfo, sourceName, rows.Count + 1));
                }
                else
                {
                    reader.Read();
                }
            }
        }

        private static DefaultSetting ReadItem(XmlReader reader, IXmlLineInfo lineInfo, string sourceName, int number)
        {
            var row = new DefaultSetting
            {
                Source = string.Format(CultureInfo.InvariantCulture, "item {0} (line {1}) of {2}", number, lineInfo.LineNumber, sourceName),
                SettingValue = string.Empty,

                // %Import stores an absent description attribute as an empty description.
                Description = string.Empty,
            };
            bool hasSetting = false;
            bool empty = reader.IsEmptyElement;
            if (reader.MoveToFirstAttribute())
            {
                do
                {
                    string value = reader.Value;
                    switch (reader.Name)
                    {
                        case "production": row.ProductionName = value; break;
                        case "item": row.ItemName = value; break;
                        case "class": row.HostClassName = value; break;
                        case "setting": row.SettingName = value; hasSetting = true; break;
                        case "value": row.SettingValue = value; break;
                        case "description": row.Description = value; break;
                        default:
                            if (reader.Prefix == "xmlns" || reader.Name == "xmlns")
                            {
                                break;
                            }

                            throw Invalid(sourceName, lineInfo, $"<item> has the attribute '{reader.Name}', which IRIS does not know (it takes production, item, class, setting, value and description)");
                    }
                }
                while (reader.MoveToNextAttribute());
                reader.MoveToElement();
            }

            if (!hasSetting)
            {
                throw Invalid(sourceName, lineInfo, "<item> has no setting attribute");
            }

            reader.Read();
            if (empty)
            {
                return row;
            }

            while (!(reader.NodeType == XmlNodeType.EndElement && reader.LocalName == "item"))
            {
                if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "Deployable")
                {
                    string text = reader.ReadElementContentAsString().Trim();
                    switch (text)
                    {
                        case "true":
                        case "1":
                            row.Deployable = true;
                            break;
                        case "false":
                        case "0":
                        case "":
                            row.Deployable = false;
                            break;
                        default:
                            throw Invalid(sourceName, lineInfo, $"<Deployable> is '{DefaultSetting.Show(text, 20)}'; it takes true or false");
                    }

                    continue;
                }

                throw Invalid(sourceName, lineInfo, $"found {Describe(reader)} inside <item>, where only <Deployable> is allowed");
            }

            reader.Read();
            return row;
        }

        private static string Describe(XmlReader reader) =>
            reader.NodeType == XmlNodeType.Element ? "<" + reader.Name + ">" : reader.NodeType == XmlNodeType.EndElement ? "</" + reader.Name + ">" : reader.NodeType.ToString().ToLowerInvariant();

        private static IrisOpsException Invalid(string sourceName, IXmlLineInfo lineInfo, string what) =>
            new IrisOpsException(IrisErrorKind.InvalidData, InvalidXmlId,
                string.Format(CultureInfo.InvariantCulture, "{0} line {1}: {2}.", sourceName, lineInfo.LineNumber, what), sourceName);
    }
}
