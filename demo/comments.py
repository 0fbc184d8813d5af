"""Words for the demo comments, and how they are put together.

The theme tagger must earn its keep on the demo data, so a theme is never one fixed
sentence: a comment is composed from an optional opening, one or two theme sentences
(with slots for durations, people and places, so the same idea comes in many inflected
forms), sometimes a second theme of the other polarity ("the nurses were lovely, but
parking..."), and an optional ending. Suggestions are a conditional clause behind one of
several heads ("Toivoisin, että ..."), questions end in a question mark.

All randomness comes in as one integer matrix drawn by the caller's numpy generator, so
the text is deterministic for a seed and no per-row ``random.choice`` is needed.
Every sentence here was written for Kokemus; none is taken from the seed articles.
"""
from __future__ import annotations

import numpy as np

THEMES = ("access", "phone", "digital", "interaction", "communication", "care", "safety",
          "relatives", "staffing", "facilities", "food", "parking", "billing", "language")
THEME_INDEX = {name: i for i, name in enumerate(THEMES)}

KINDS = ("praise", "complaint", "suggestion", "question")
LANGS = ("fi", "sv", "en")

# Themes a praise comment may turn to for its "but ..." part, and the praise a complaint
# may start with before its "but ...".
MIX_COMPLAINT_THEMES = ("parking", "food", "facilities", "access", "phone", "digital", "billing")
MIX_PRAISE_THEMES = ("interaction", "staffing", "care")
# What a second sentence of praise is about: people and care, as in real praise.
PRAISE_EXTRA_THEMES = ("interaction", "care", "staffing", "communication", "access")

SLOTS: dict[str, tuple[str, ...]] = {
    "h": ("kaksi", "kolme", "neljä", "viisi", "kuusi", "seitsemän", "kahdeksan"),
    "vk": ("kaksi", "kolme", "neljä", "kuusi"),
    "pv": ("kaksi", "kolme", "neljä"),
    "min": ("20", "30", "40", "45", "50", "60"),
    "kuka": ("hoitaja", "lääkäri", "sairaanhoitaja", "lähihoitaja", "fysioterapeutti",
             "vastaanoton hoitaja", "päivystävä lääkäri"),
    "Kuka": ("Hoitaja", "Lääkäri", "Sairaanhoitaja", "Lähihoitaja", "Fysioterapeutti",
             "Vastaanoton hoitaja", "Päivystävä lääkäri", "Yöhoitaja"),
    "milloin": ("eilen", "viime viikolla", "toissapäivänä", "viime kuussa", "maanantaina",
                "viikonloppuna", "tänään", "perjantaina", "pari viikkoa sitten"),
    "h_sv": ("två", "tre", "fyra", "fem", "sex"),
    "pv_sv": ("två", "tre", "fyra"),
    "milloin_sv": ("i går", "förra veckan", "i måndags", "i helgen", "för två veckor sedan"),
    "h_en": ("two", "three", "four", "five", "six"),
    "pv_en": ("two", "three", "four"),
    "milloin_en": ("yesterday", "last week", "on Monday", "at the weekend", "two weeks ago"),
    "Staff_en": ("The nurse", "The doctor", "The physiotherapist", "The night nurse"),
}

# ---------------------------------------------------------------- Finnish
FI_NEG = {
    "access": (
        "Jouduin odottamaan {h} tuntia ennen kuin pääsin lääkärille.",
        "Odotusaika venyi yli {h} tunnin, eikä kukaan kertonut syytä.",
        "Jonotin aulassa {h} tuntia kovissa kivuissa.",
        "Jonotusaika oli kohtuuton.",
        "Odottaminen kesti aivan liian kauan.",
        "Lääkäriaikaa joutui odottamaan {vk} viikkoa.",
        "Hoitoon pääsy kesti kohtuuttoman kauan.",
        "Jonot ovat nykyään aivan liian pitkät.",
        "Odotimme lapsen kanssa {h} tuntia ilman mitään tietoa.",
        "Odotushuoneessa istuttiin {h} tuntia, vaikka potilaita näytti olevan vähän.",
        "Jouduimme jonottamaan ensin ilmoittautumiseen ja sitten vielä {h} tuntia lääkärille.",
        "Odotusajat ovat venyneet todella pitkiksi.",
        "Kiireetöntä aikaa ei saanut, vaan piti jonottaa uudestaan seuraavana päivänä.",
        "Jono ei liikkunut {h} tuntiin mihinkään.",
    ),
    "phone": (
        "Puhelimeen ei vastattu, vaikka soitin monta kertaa.",
        "Takaisinsoittoa sai odottaa {pv} päivää.",
        "Jonotin puhelimessa {min} minuuttia, ja sitten linja katkesi.",
        "Takaisinsoittopalvelu oli täynnä jo aamulla kahdeksalta.",
        "Luvattua takaisinsoittoa ei tullut ollenkaan.",
        "Terveysasemalle on lähes mahdoton saada puhelinyhteyttä.",
        "Soitin {pv} päivänä peräkkäin ennen kuin pääsin läpi.",
        "Puhelinpalvelusta kuului aina vain nauhoite, että soita myöhemmin uudelleen.",
        "Takaisinsoitto tuli, kun olin töissä, eikä uutta soittoa enää tullut.",
        "Puhelinajat ovat niin lyhyet, ettei työssäkäyvä ehdi soittaa.",
    ),
    "digital": (
        "Sähköinen ajanvaraus ei toiminut, vaan sivu kaatui joka kerta.",
        "Omaolo-palvelussa ei löytynyt vaihtoehtoa minun oireilleni.",
        "Tekstiviestimuistutuksessa oli väärä kellonaika.",
        "Chatissa jonotin {min} minuuttia, ja sitten yhteys katkesi.",
        "Etävastaanoton videoyhteys pätki koko ajan.",
        "Verkkoajanvarauksessa ei ollut yhtään vapaata aikaa.",
        "Sovellukseen kirjautuminen ei onnistunut pankkitunnuksilla.",
        "Sähköisen asioinnin kautta lähettämääni viestiin ei vastattu.",
    ),
    "interaction": (
        "Lääkäri tuijotti koko ajan tietokoneen ruutua eikä katsonut minua silmiin.",
        "Kukaan ei tervehtinyt, kun tulin huoneeseen.",
        "Hoitaja ei kertonut nimeään eikä sitä, mitä oli tekemässä.",
        "Lääkäri puhui pelkkää latinaa, enkä ymmärtänyt juuri mitään.",
        "Minua kohdeltiin tylysti ja vähättelevästi.",
        "{Kuka} oli töykeä ja kärsimätön.",
        "Tuntui, ettei kukaan kuunnellut minua.",
        "Henkilökunta puhui ohitseni, ikään kuin en olisi ollut paikalla.",
        "Ammattisanastoa käytettiin niin paljon, etten pysynyt kärryillä.",
        "Kukaan ei esittäytynyt koko käynnin aikana.",
        "{Kuka} naureskeli oireilleni.",
        "Katsekontaktia ei ollut, vain näppäimistön naputusta.",
    ),
    "communication": (
        "Kukaan ei kertonut, mitä seuraavaksi tapahtuu.",
        "Sain ristiriitaisia ohjeita eri hoitajilta.",
        "Tutkimustuloksista ei ilmoitettu, vaikka niin luvattiin.",
        "Kotihoito-ohjeet olivat epäselvät.",
        "Tieto ei kulkenut osastojen välillä.",
        "Jouduin kertomaan samat asiat kolmeen kertaan eri ihmisille.",
        "En tiennyt, odotanko lääkäriä vai laboratoriota.",
        "Jatkohoidosta ei sovittu mitään.",
    ),
    "care": (
        "Kipulääkettä sai odottaa pitkään.",
        "Lääkäri ei tutkinut kunnolla, vaan kirjoitti vain reseptin.",
        "Vaivaani ei otettu vakavasti.",
        "Hoito ei auttanut, ja jouduin tulemaan uudestaan.",
        "Minut lähetettiin kotiin ilman diagnoosia.",
        "Haava hoidettiin huolimattomasti.",
        "Lähetettä jatkotutkimuksiin ei tehty, vaikka pyysin.",
    ),
    "safety": (
        "Minulle oltiin antamassa väärää lääkettä.",
        "Henkilöllisyyttäni ei tarkistettu ennen lääkkeen antamista.",
        "Isäni kaatui osastolla, eikä kukaan huomannut sitä heti.",
        "Minut kotiutettiin liian aikaisin, ja jouduin palaamaan samana yönä.",
        "Allergiatietoni eivät olleet kenenkään tiedossa.",
        "Hälytyskelloon ei vastattu {min} minuuttiin.",
    ),
    "relatives": (
        "Omaisille ei kerrottu mitään äidin voinnista.",
        "Isäni kotiutettiin ilmoittamatta meille.",
        "Puolisoani ei päästetty mukaan tutkimushuoneeseen.",
        "Läheisenä tunsin olevani vain tiellä.",
        "Vierailuajat ovat liian lyhyet ja joustamattomat.",
        "Kukaan ei soittanut meille, vaikka vointi huononi.",
    ),
    "staffing": (
        "Hoitajia oli aivan liian vähän.",
        "Kiire näkyi kaikessa, eikä kenelläkään ollut aikaa.",
        "Joka päivä oli eri hoitaja, eikä kukaan tuntenut tilannettani.",
        "Henkilökuntaa on kesällä selvästi liian vähän.",
        "Lääkäri oli yksin koko päivystyksessä.",
        "Sijaiset eivät tunteneet osaston käytäntöjä.",
    ),
    "facilities": (
        "Huone oli kylmä ja ikkunasta kävi veto.",
        "WC oli likainen koko päivän.",
        "Jouduin olemaan käytäväpaikalla kaksi yötä.",
        "Odotustilassa ei ollut tarpeeksi istumapaikkoja.",
        "Huoneessa oli niin meluisaa, etten saanut nukuttua.",
        "Opasteet olivat sekavat, ja eksyin käytävillä.",
        "Hissi oli rikki, eikä toista reittiä ollut merkitty.",
    ),
    "food": (
        "Ruoka oli kylmää ja mautonta.",
        "Erityisruokavaliotani ei huomioitu.",
        "Päivystyksessä ei saanut mitään syötävää koko päivänä.",
        "Annokset olivat todella pieniä.",
        "Aamupala tuli vasta kymmenen jälkeen.",
    ),
    "parking": (
        "Pysäköintipaikkoja on aivan liian vähän.",
        "Parkkipaikkaa sai etsiä {min} minuuttia.",
        "Pysäköinti on kohtuuttoman kallista.",
        "Parkkihallin maksuautomaatti ei toiminut.",
        "Invapaikat olivat täynnä, ja jouduin pysäköimään kauas.",
        "Sain pysäköintivirhemaksun, kun käynti venyi.",
    ),
    "billing": (
        "Lasku tuli kahteen kertaan.",
        "Poliklinikkamaksu oli mielestäni liian suuri käyntiin nähden.",
        "Sain laskun käynnistä, jolle en edes päässyt.",
        "Maksukatto ei näkynyt laskussa.",
        "Perintäkirje tuli, vaikka olin maksanut laskun ajallaan.",
    ),
    "language": (
        "Palvelua ei saanut ruotsiksi, vaikka pyysin.",
        "Lääkärin suomen kielestä oli vaikea saada selvää.",
        "Tulkkia ei ollut varattu, vaikka se pyydettiin etukäteen.",
        "Ohjeet annettiin vain suomeksi.",
        "Selkokielistä ohjetta ei ollut saatavilla.",
    ),
}

FI_POS = {
    "interaction": (
        "{Kuka} katsoi silmiin ja kuunteli rauhassa.",
        "Lääkäri esittäytyi ja kertoi koko ajan, mitä tekee.",
        "Kohtaaminen oli lämmin ja ystävällinen.",
        "Minut otettiin vastaan hymyillen.",
        "Tunsin, että minua kuunneltiin aidosti.",
        "{Kuka} puhui selkeää suomea eikä lääketieteen termejä.",
        "Ystävällinen ja kiireetön vastaanotto.",
        "{Kuka} tervehti ja kysyi, miten voin.",
    ),
    "care": (
        "Sain erinomaista hoitoa.",
        "Hoito oli ammattitaitoista alusta loppuun.",
        "Lääkäri tutki perusteellisesti ja löysi vaivan syyn.",
        "Kivunhoito toimi hyvin.",
        "Olen todella kiitollinen saamastani hoidosta.",
        "Hoito auttoi, ja olo on nyt paljon parempi.",
        "Asiantuntevaa ja huolellista hoitoa.",
    ),
    "staffing": (
        "Henkilökunta oli aivan ihanaa.",
        "Kiitos koko henkilökunnalle!",
        "Hoitajat jaksoivat kiireestä huolimatta olla ystävällisiä.",
        "Upea ja osaava henkilökunta.",
        "{Kuka} teki työnsä sydämellä.",
    ),
    "access": (
        "Pääsin lääkärille nopeasti.",
        "Odotusaika oli lyhyt.",
        "Jonottamaan ei tarvinnut juuri lainkaan.",
        "Hoitoon pääsi samana päivänä.",
    ),
    "communication": (
        "Sain selkeät ohjeet kotiin.",
        "Kaikki kerrottiin ymmärrettävästi.",
        "Tutkimustuloksista soitettiin heti, kun ne valmistuivat.",
    ),
    "phone": (
        "Takaisinsoitto tuli luvatussa ajassa.",
        "Puhelimeen vastattiin nopeasti, ja asia hoitui kerralla.",
    ),
    "digital": (
        "Ajanvaraus verkossa sujui helposti.",
        "Etävastaanotto toimi hyvin ja säästi matkan.",
        "Chatissa sain avun nopeasti.",
    ),
    "relatives": (
        "Myös meidät omaiset huomioitiin hienosti.",
        "Äidistä pidettiin hyvää huolta, ja meille kerrottiin kaikki.",
    ),
    "food": ("Ruoka oli hyvää ja sitä oli riittävästi.", "Erityisruokavalio huomioitiin hyvin."),
    "facilities": ("Tilat olivat siistit ja rauhalliset.", "Huone oli viihtyisä."),
    "safety": ("Tunsin oloni turvalliseksi koko ajan.",
               "Kaikki tarkistettiin huolellisesti ennen toimenpidettä."),
    "parking": ("Parkkipaikka löytyi helposti aivan ovelta.",),
    "billing": ("Laskutus oli selkeä.",),
    "language": ("Sain palvelua omalla äidinkielelläni, kiitos siitä.",),
}

FI_SUGG_HEADS = ("Olisi hyvä, jos", "Toivoisin, että", "Olisi mukavaa, jos", "Ehdottaisin, että",
                 "Parempi olisi, jos", "Voisiko järjestää niin, että")
FI_SUGG = {
    "access": ("odotusajasta kerrottaisiin aulan näytöllä",
               "jonotusaikaa lyhennettäisiin lisäämällä iltavastaanottoja",
               "odottaville kerrottaisiin edes arvio odotusajasta"),
    "phone": ("takaisinsoitolle voisi valita itselle sopivan ajan",
              "puhelinpalvelu olisi auki myös iltaisin",
              "puhelinjonossa kerrottaisiin oma paikka jonossa"),
    "digital": ("ajan voisi varata myös sovelluksessa",
                "sähköiseen viestiin vastattaisiin samana päivänä",
                "tekstiviestimuistutus tulisi päivää aiemmin"),
    "interaction": ("jokainen esittäytyisi ja kertoisi, mitä tekee",
                    "lääkäri katsoisi potilasta eikä vain ruutua",
                    "asiat selitettäisiin ilman ammattisanastoa"),
    "communication": ("kotihoito-ohjeet annettaisiin myös kirjallisina",
                      "tutkimustuloksista ilmoitettaisiin tekstiviestillä",
                      "potilaalle kerrottaisiin, mitä seuraavaksi tapahtuu"),
    "care": ("kipulääkettä tarjottaisiin jo odotusaulassa",
             "jälkitarkastus varattaisiin valmiiksi"),
    "safety": ("henkilöllisyys tarkistettaisiin aina ennen lääkkeen antamista",
               "kotiutus tehtäisiin vasta, kun kotona on apua"),
    "relatives": ("omaisille soitettaisiin, kun vointi muuttuu",
                  "vierailuajat olisivat joustavammat"),
    "staffing": ("kesäksi palkattaisiin enemmän sijaisia",
                 "samalla potilaalla olisi sama hoitaja useampana päivänä"),
    "facilities": ("odotustilaan tuotaisiin lisää tuoleja", "opasteita selkeytettäisiin"),
    "food": ("päivystyksessä olisi välipalaa tarjolla", "kasvisvaihtoehto olisi joka päivä"),
    "parking": ("pysäköintipaikkoja lisättäisiin",
                "pysäköinti olisi potilaille maksutonta ensimmäisen tunnin ajan"),
    "billing": ("laskussa näkyisi selvästi, mistä maksu muodostuu",
                "laskun voisi saada e-laskuna"),
    "language": ("ohjeita olisi saatavilla myös ruotsiksi ja englanniksi",
                 "selkokielisiä ohjeita olisi enemmän"),
}

FI_QUESTION = {
    "access": ("Kuinka kauan jonottaminen kestää tällä hetkellä?",
               "Miksi odotusaika on nykyään näin pitkä?"),
    "phone": ("Miksi puhelimeen ei vastata aamupäivisin?",
              "Mihin numeroon pitää soittaa, jos takaisinsoittoa ei kuulu?"),
    "digital": ("Miten ajan voi perua verkossa?", "Voiko reseptin uusia sovelluksessa?"),
    "interaction": ("Miksi lääkäri ei esittäytynyt?",),
    "communication": ("Milloin saan tutkimustulokset?", "Kenelle voin soittaa jatkohoidosta?"),
    "care": ("Tarvitaanko jälkitarkastusta?", "Poistetaanko ompeleet terveysasemalla?"),
    "safety": ("Kenelle voin ilmoittaa lääkitysvirheestä?",),
    "relatives": ("Saako omainen jäädä yöksi?", "Mihin aikaan osastolla saa vierailla?"),
    "staffing": ("Miksi kesällä on niin vähän henkilökuntaa?",),
    "facilities": ("Onko aulassa latauspistettä puhelimelle?",),
    "food": ("Saako osastolle tuoda omia eväitä?",),
    "parking": ("Onko sairaalan alueella maksutonta pysäköintiä?", "Missä on lähin parkkipaikka?"),
    "billing": ("Miksi sain laskun perutusta käynnistä?", "Voiko laskun maksaa osissa?"),
    "language": ("Saako palvelua ruotsiksi?",),
}

FI_OPEN = {
    "praise": ("Kävin {milloin} {paikassa}.", "Olin {milloin} potilaana {paikassa}.",
               "Haluan kiittää {milloin} saamastani hoidosta.", "Lapseni oli {milloin} hoidossa.",
               "Iso kiitos!", "Hei!"),
    "complaint": ("Kävin {milloin} {paikassa}.", "Olin {milloin} {paikassa}.",
                  "Haluan antaa palautetta {milloin} olleesta käynnistä.",
                  "Valitettavasti käynti ei mennyt hyvin.", "Olen pettynyt.",
                  "Toin äitini {milloin} hoitoon."),
    "suggestion": ("Kävin {milloin} {paikassa}.", "Pieni kehitysehdotus.",
                   "Muuten kaikki hyvin, mutta yksi ehdotus."),
    "question": ("Hei!", "Kävin {milloin} {paikassa}.", "Kysyisin yhtä asiaa."),
}
FI_END = {
    "praise": ("Kiitos!", "Lämmin kiitos kaikille!", "Kiitos hyvästä hoidosta.",
               "Jatkakaa samaan malliin!", "Suosittelen.", "Olette kullanarvoisia."),
    "complaint": ("Toivottavasti asiaan puututaan.", "Tämä ei ole ensimmäinen kerta.",
                  "Kokemus oli todella turhauttava.",
                  "Ymmärrän kiireen, mutta näin ei voi jatkua.", "Odotan vastausta."),
    "suggestion": ("Kiitos muuten hyvästä palvelusta.", "Muuten olen ollut tyytyväinen."),
    "question": ("Kiitos vastauksesta etukäteen.", "Kiitos."),
}
FI_BUT = ("Mutta ", "Ainoa miinus: ", "Sen sijaan ", "Toisaalta ")
FI_PII = ("Soittakaa minulle numeroon {phone}.", "Henkilötunnukseni on {hetu}.",
          "Vastatkaa sähköpostiin {email}.", "Hetu {hetu}, jos tarvitsette.",
          "Tavoitatte minut numerosta {phone} tai osoitteesta {email}.")

# ---------------------------------------------------------------- Swedish
SV_NEG = {
    "access": ("Jag fick vänta i {h_sv} timmar innan jag fick träffa en läkare.",
               "Väntetiden var alldeles för lång.", "Kön på jouren var orimligt lång."),
    "phone": ("Ingen svarade i telefon trots att jag ringde flera gånger.",
              "Jag fick vänta på återuppringning i {pv_sv} dagar."),
    "digital": ("Tidsbokningen på nätet fungerade inte.", "Videomottagningen bröts hela tiden."),
    "interaction": ("Läkaren tittade bara på skärmen och inte på mig.",
                    "Ingen hälsade eller presenterade sig.",
                    "Personalen använde bara facktermer som jag inte förstod."),
    "communication": ("Ingen berättade vad som skulle hända härnäst.",
                      "Jag fick olika instruktioner av olika skötare."),
    "care": ("Jag fick vänta länge på smärtstillande.", "Läkaren undersökte mig inte ordentligt."),
    "safety": ("Man höll på att ge mig fel medicin.", "Jag skrevs ut för tidigt."),
    "relatives": ("Vi anhöriga fick ingen information.",
                  "Min pappa skrevs ut utan att vi informerades."),
    "staffing": ("Det fanns för lite personal.", "Det var en ny skötare varje dag."),
    "facilities": ("Rummet var kallt och smutsigt.", "Det fanns för få sittplatser i väntrummet."),
    "food": ("Maten var kall.", "Min specialdiet beaktades inte."),
    "parking": ("Det finns alldeles för få parkeringsplatser.", "Parkeringen är för dyr."),
    "billing": ("Jag fick räkningen två gånger.", "Avgiften var för hög."),
    "language": ("Jag fick inte service på svenska fast jag bad om det.",
                 "Anvisningarna fanns bara på finska."),
}
SV_POS = {
    "interaction": ("Personalen var vänlig och lyssnade.",
                    "Läkaren presenterade sig och förklarade allt."),
    "care": ("Jag fick utmärkt vård.", "Tack för god och professionell vård."),
    "staffing": ("Underbar personal!", "Skötarna var fantastiska."),
    "access": ("Jag kom snabbt till läkaren.",),
    "communication": ("Jag fick tydliga instruktioner.",),
    "language": ("Det var fint att få service på svenska.",),
}
SV_SUGG_HEADS = ("Det vore bra om", "Jag önskar att")
SV_SUGG = {
    "access": ("väntetiden visades på en skärm i väntrummet",),
    "phone": ("man kunde välja tid för återuppringningen",),
    "interaction": ("alla presenterade sig",),
    "communication": ("hemvårdsanvisningarna gavs skriftligt",),
    "parking": ("det fanns fler parkeringsplatser",),
    "language": ("det fanns mer material på svenska",),
    "food": ("det fanns mellanmål på jouren",),
}
SV_QUESTION = {
    "access": ("Hur lång är väntetiden just nu?",),
    "communication": ("När får jag provsvaren?",),
    "language": ("Kan jag få service på svenska?",),
    "parking": ("Finns det gratis parkering vid sjukhuset?",),
}
SV_OPEN = {"praise": ("Tack!", "Jag var patient här {milloin_sv}."),
           "complaint": ("Jag besökte er {milloin_sv}.", "Tyvärr gick besöket inte bra."),
           "suggestion": ("Ett litet förslag.",), "question": ("Hej!",)}
SV_END = {"praise": ("Tack så mycket!", "Stort tack till alla!"),
          "complaint": ("Hoppas att ni tar tag i det här.", "Det här var inte första gången."),
          "suggestion": ("Annars var allt bra.",), "question": ("Tack på förhand.",)}
SV_BUT = ("Men ", "Det enda minuset: ")
SV_PII = ("Ring mig på {phone}.", "Min personbeteckning är {hetu}.", "Svara till {email}.")

# ---------------------------------------------------------------- English
EN_NEG = {
    "access": ("I had to wait {h_en} hours before I saw a doctor.",
               "The waiting time was far too long.", "The queue at the emergency room was unbearable."),
    "phone": ("Nobody answered the phone although I called many times.",
              "I waited {pv_en} days for the call-back."),
    "digital": ("The online booking did not work.", "The video appointment kept cutting out."),
    "interaction": ("The doctor only looked at the screen, never at me.",
                    "Nobody greeted me or told me their name.",
                    "Staff used medical jargon I could not follow."),
    "communication": ("Nobody told me what would happen next.",
                      "I got different instructions from different nurses."),
    "care": ("I waited a long time for pain relief.", "The doctor did not examine me properly."),
    "safety": ("I was almost given the wrong medicine.", "I was discharged too early."),
    "relatives": ("We relatives were not informed of anything.",),
    "staffing": ("There were too few nurses.", "The ward was clearly understaffed."),
    "facilities": ("The room was cold and dirty.", "There were not enough seats in the waiting room."),
    "food": ("The food was cold.", "My special diet was ignored."),
    "parking": ("There are far too few parking spaces.", "Parking is too expensive."),
    "billing": ("I was billed twice.", "The fee was too high."),
    "language": ("No service was available in English.", "The instructions were only in Finnish."),
}
EN_POS = {
    "interaction": ("The staff were kind and listened to me.",
                    "{Staff_en} introduced themselves and explained everything."),
    "care": ("I received excellent care.", "Thank you for professional and careful treatment."),
    "staffing": ("Wonderful staff!",),
    "access": ("I got to see a doctor quickly.",),
    "language": ("Thank you for serving me in English.",),
}
EN_SUGG_HEADS = ("It would help if", "I wish")
EN_SUGG = {
    "access": ("the waiting time was shown in the lobby",),
    "phone": ("one could choose the time of the call-back",),
    "language": ("more instructions were available in English",),
    "interaction": ("everyone introduced themselves",),
    "parking": ("there were more parking spaces",),
}
EN_QUESTION = {
    "access": ("How long is the wait at the moment?",),
    "communication": ("When will I get my test results?",),
    "language": ("Can I get an interpreter for my next visit?",),
    "billing": ("Why did I get a bill for a cancelled visit?",),
}
EN_OPEN = {"praise": ("Thank you!", "I was a patient here {milloin_en}."),
           "complaint": ("I visited {milloin_en}.", "Unfortunately my visit did not go well."),
           "suggestion": ("A small suggestion.",), "question": ("Hello,",)}
EN_END = {"praise": ("Many thanks!", "Keep up the good work!"),
          "complaint": ("I hope this will be looked into.", "This was not the first time."),
          "suggestion": ("Otherwise all was good.",), "question": ("Thanks in advance.",)}
EN_BUT = ("But ", "The only downside: ")
EN_PII = ("Call me on {phone}.", "My personal identity code is {hetu}.", "Please reply to {email}.")

_LANG_TABLES = {
    "fi": (FI_NEG, FI_POS, FI_SUGG_HEADS, FI_SUGG, FI_QUESTION, FI_OPEN, FI_END, FI_BUT, FI_PII),
    "sv": (SV_NEG, SV_POS, SV_SUGG_HEADS, SV_SUGG, SV_QUESTION, SV_OPEN, SV_END, SV_BUT, SV_PII),
    "en": (EN_NEG, EN_POS, EN_SUGG_HEADS, EN_SUGG, EN_QUESTION, EN_OPEN, EN_END, EN_BUT, EN_PII),
}

# Random draws per comment; each column feeds one choice so choices stay independent.
N_DRAWS = 16
HETU_CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"
_FIRST_NAMES = ("matti", "liisa", "pekka", "aino", "juha", "sari", "erik", "anna")
_LAST_NAMES = ("virtanen", "korhonen", "nieminen", "makinen", "lindqvist", "heikkinen")


def fake_hetu(draw: int) -> str:
    """A personal identity code with a valid check character for a fictional person.

    Valid on purpose: a redactor that checks the checksum would skip an invalid code, so
    it would test nothing. The individual number stays in 002-899 because stdnum rejects
    the temporary 900-999 range by default. Dates and numbers come from the draw, not from
    any register.
    """
    day = 1 + draw % 28
    month = 1 + (draw // 28) % 12
    year = 1940 + (draw // 336) % 66
    serial = 2 + (draw // 22176) % 898
    yy = year % 100
    check = HETU_CHECK[int(f"{day:02d}{month:02d}{yy:02d}{serial:03d}") % 31]
    sign = "-" if year < 2000 else "A"
    return f"{day:02d}{month:02d}{yy:02d}{sign}{serial:03d}{check}"


def _fake_phone(draw: int) -> str:
    prefix = ("040", "050", "044", "045")[draw % 4]
    digits = f"{(draw // 4) % 10_000_000:07d}"
    return f"{prefix} {digits[:3]} {digits[3:]}"


def _fake_email(draw: int) -> str:
    first = _FIRST_NAMES[draw % len(_FIRST_NAMES)]
    last = _LAST_NAMES[(draw // 8) % len(_LAST_NAMES)]
    return f"{first}.{last}{draw % 90 + 10}@example.fi"


class _Slots(dict):
    """Fills ``{slot}`` from SLOTS with one draw, so a sentence's slots vary per comment."""

    def __init__(self, draw: int, place: str):
        super().__init__(paikassa=place)
        self.draw = draw

    def __missing__(self, key: str) -> str:
        values = SLOTS[key]
        return values[(self.draw >> 3) % len(values)]


def _pick(pool, draw: int) -> str:
    return pool[draw % len(pool)]


def _lower_first(s: str) -> str:
    # Keep proper nouns of two capitals (e.g. "WC") as written.
    if len(s) > 1 and s[1].isupper():
        return s
    return s[:1].lower() + s[1:]


def compose(rng: np.random.Generator, *, lang: np.ndarray, kind: np.ndarray, theme: np.ndarray,
            second_theme: np.ndarray, place: list[str], pii: np.ndarray) -> list[str]:
    """Compose one comment per row.

    ``lang``/``kind`` are indexes into LANGS/KINDS, ``theme`` into THEMES. ``second_theme``
    is -1 or a THEMES index: for praise a complaint about it follows "but"; for a complaint
    a praise about it comes first. ``place`` is the Finnish inessive of where the visit was
    ("päivystyksessä"). ``pii`` marks comments that leak a phone, e-mail or identity code.
    """
    draws = rng.integers(0, 2**31 - 1, size=(len(kind), N_DRAWS), dtype=np.int64).tolist()
    out = []
    for i, d in enumerate(draws):
        out.append(_compose_one(LANGS[lang[i]], KINDS[kind[i]], THEMES[theme[i]],
                                int(second_theme[i]), place[i], bool(pii[i]), d))
    return out


def _compose_one(lang: str, kind: str, theme: str, second: int, place: str, pii: bool,
                 d: list[int]) -> str:
    neg, pos, heads, sugg, questions, openings, endings, buts, pii_lines = _LANG_TABLES[lang]
    slots = _Slots(d[0], place)

    def fill(s: str) -> str:
        return s.format_map(slots) if "{" in s else s

    parts: list[str] = []
    if d[1] % 100 < 35:
        parts.append(fill(_pick(openings[kind], d[2])))
    if kind == "praise":
        pool = pos.get(theme) or pos["care"]
        parts.append(fill(_pick(pool, d[3])))
        if d[4] % 100 < 30:
            extra = pos.get(_pick(PRAISE_EXTRA_THEMES, d[5])) or pos["care"]
            sentence = fill(_pick(extra, d[6]))
            if sentence != parts[-1]:
                parts.append(sentence)
        if second >= 0:
            parts.append(_pick(buts, d[7]) + _lower_first(fill(_pick(neg[THEMES[second]], d[8]))))
    elif kind == "complaint":
        if second >= 0:
            parts.append(fill(_pick(pos.get(THEMES[second]) or pos["care"], d[7])))
            parts.append(_pick(buts, d[8]) + _lower_first(fill(_pick(neg[theme], d[3]))))
        else:
            parts.append(fill(_pick(neg[theme], d[3])))
        if d[4] % 100 < 35:
            pool = neg[theme]
            other = pool[(d[3] + 1 + d[6] % max(len(pool) - 1, 1)) % len(pool)]
            if other != parts[-1]:
                parts.append(fill(other))
    elif kind == "suggestion":
        head = _pick(heads, d[3])
        clause = fill(_pick(sugg.get(theme) or sugg["access"], d[4]))
        mark = "?" if head.startswith("Voisiko") else "."
        parts.append(f"{head} {clause}{mark}")
    else:
        parts.append(fill(_pick(questions.get(theme) or questions["access"], d[3])))
    if d[9] % 100 < 40:
        parts.append(_pick(endings[kind], d[10]))
    if pii:
        line = _pick(pii_lines, d[11])
        parts.append(line.format(phone=_fake_phone(d[12]), hetu=fake_hetu(d[13]),
                                 email=_fake_email(d[14])))
    return " ".join(parts)
