import java.io.*;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.regex.Pattern;

public class RegexParity {
    public static void main(String[] args) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        PrintWriter out = new PrintWriter(new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8)));
        HexFormat hex = HexFormat.of();
        Pattern pattern = null;
        String line;
        while ((line = in.readLine()) != null) {
            String text = new String(hex.parseHex(line.substring(2)), StandardCharsets.UTF_8);
            if (line.charAt(0) == 'P') {
                try { pattern = Pattern.compile(text); out.println("ok"); }
                catch (RuntimeException e) { pattern = null; out.println("error " + e.getMessage().replace('\n', ' ')); }
            } else {
                out.println(pattern != null && pattern.matcher(text).matches() ? "1" : "0");
            }
        }
        out.flush();
    }
}
