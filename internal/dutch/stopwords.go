package dutch

// IsStopword reports whether w, a token as returned by Tokens (lowercase,
// folded), is a Dutch stopword: a function word or a word so common in
// citizens' questions that it says nothing about the subject.
//
// The list is the Snowball Dutch stopword list plus question words, modal
// and auxiliary verb forms, pronouns and politeness formulas ("hoe",
// "wanneer", "kan", "ik", "mijn", "graag", "alstublieft"). Single letters
// other than digits are stopwords too.
func IsStopword(w string) bool {
	if len(w) == 1 {
		return w[0] < '0' || w[0] > '9'
	}
	_, ok := stopwords[w]
	return ok
}

var stopwords = func() map[string]struct{} {
	m := make(map[string]struct{}, len(stopwordList))
	for _, w := range stopwordList {
		m[w] = struct{}{}
	}
	return m
}()

var stopwordList = [...]string{
	// Snowball Dutch list (https://snowballstem.org/algorithms/dutch/stop.txt),
	// diacritics folded.
	"de", "en", "van", "ik", "te", "dat", "die", "in", "een", "hij", "het",
	"niet", "zijn", "is", "was", "op", "aan", "met", "als", "voor", "had",
	"er", "maar", "om", "hem", "dan", "zou", "of", "wat", "mijn", "men",
	"dit", "zo", "door", "over", "ze", "zich", "bij", "ook", "tot", "je",
	"mij", "uit", "der", "daar", "haar", "naar", "heb", "hoe", "heeft",
	"hebben", "deze", "u", "want", "nog", "zal", "me", "zij", "nu", "ge",
	"geen", "omdat", "iets", "worden", "toch", "al", "waren", "veel", "meer",
	"doen", "toen", "moet", "ben", "zonder", "kan", "hun", "dus", "alles",
	"onder", "ja", "eens", "hier", "wie", "werd", "altijd", "doch", "wordt",
	"wezen", "kunnen", "ons", "zelf", "tegen", "na", "reeds", "wil", "kon",
	"niets", "uw", "iemand", "geweest", "andere",

	// Question words.
	"wanneer", "waar", "waarom", "welk", "welke", "hoeveel", "hoelang",
	"hoevaak", "waarvoor", "waarmee", "waaraan", "waarop", "waarover",
	"waardoor", "waarbij", "waarin", "waaruit", "waarnaar", "wiens", "wier",

	// Pronouns and determiners.
	"we", "wij", "jij", "jou", "jouw", "jullie", "mijne", "onze", "ikzelf",
	"hen", "hunne", "zn", "mn", "jouwe", "uzelf", "mezelf", "zichzelf",
	"dat", "diegene", "datgene", "dezelfde", "hetzelfde", "elk", "elke",
	"ieder", "iedere", "sommige", "enkele", "alle", "allemaal", "beide",
	"ander", "anders", "zulke", "zulk",

	// Auxiliary and modal verb forms.
	"kun", "kunt", "kon", "konden", "kan", "mag", "mogen", "mocht", "mochten",
	"moeten", "moest", "moesten", "wilt", "willen", "wilde", "wilden",
	"zult", "zullen", "zouden", "word", "werden", "bent", "hebt", "hadden",
	"heb", "was", "waren", "wees", "geweest",

	// Adverbs, conjunctions and prepositions not in the Snowball list.
	"wel", "even", "erg", "heel", "zeer", "echt", "gewoon", "eigenlijk",
	"misschien", "alleen", "ongeveer", "bijvoorbeeld", "bv", "bijv", "etc",
	"enz", "zoals", "daarom", "daarna", "daarbij", "daarvoor", "daarmee",
	"daarvan", "daarin", "daarop", "daaraan", "hierover", "hiervoor",
	"hiermee", "hiervan", "hierbij", "hierin", "erover", "ervoor", "ermee",
	"ervan", "erbij", "erin", "erop", "eraan", "nadat", "voordat", "totdat",
	"terwijl", "indien", "tenzij", "zodat", "zodra", "sinds", "vanaf",
	"tussen", "binnen", "buiten", "via", "per", "rond", "rondom", "tijdens",
	"volgens", "naast", "achter", "boven", "langs", "zowel", "noch", "ofwel",
	"hoewel", "toe", "af", "mee", "weer", "steeds", "reeds", "soms",
	"vaak", "nooit", "ooit", "dan", "dus", "nee", "oke", "ok",

	// Politeness and chat formulas.
	"graag", "alstublieft", "alsjeblieft", "aub", "svp", "dank", "bedankt",
	"dankjewel", "dankuwel", "hallo", "hoi", "goedendag", "goedemorgen",
	"goedemiddag", "goedenavond", "groet", "groeten", "vriendelijke",
	"beste", "geachte",

	// English function words, for residents who write (partly) in English: only
	// words that are not also Dutch content words ("want", "was", "had", "over",
	// "door" and "me" are Dutch function words and listed above; "kind" and "mist"
	// are Dutch nouns and not listed).
	"the", "an", "and", "to", "for", "from", "with", "at", "on", "by", "into",
	"about", "after", "before", "until", "than", "then", "so", "if", "or",
	"not", "no", "yes", "how", "much", "many", "what", "when", "where", "which",
	"who", "whom", "why", "do", "does", "did", "done", "is", "are", "am", "be",
	"been", "being", "were", "have", "has", "having", "get", "gets", "got",
	"can", "could", "should", "would", "will", "shall", "may", "might", "must",
	"need", "needs", "you", "your", "yours", "my", "mine", "our", "ours", "us",
	"they", "them", "their", "he", "she", "his", "her", "him", "it", "its",
	"this", "that", "these", "those", "there", "here", "any", "some", "just",
	"still", "also", "very", "please", "hello", "hi", "thanks", "thank",
	"anything", "something", "someone", "somebody", "im", "ive", "ill", "dont",
	"doesnt", "didnt", "isnt", "arent", "cant", "wont", "whats", "hows", "special",
	"going", "gonna", "wanna", "like", "really", "already", "now", "next",
}
